"""cybernorms: find, classify and track cyber norms in trade agreements."""

__version__ = "0.1.0"
