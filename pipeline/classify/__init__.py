"""Norm classifiers: the lexicon baseline and the trained model."""
