"""Akhbar: build, validate and release an annotated dataset of Arabic news articles."""

__version__ = "0.1.0"
