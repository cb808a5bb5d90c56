"""Norm-emergence analytics over the clause store: pure functions from DuckDB/pandas to DataFrames."""
