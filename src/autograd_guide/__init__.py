"""Autograd Guide: the code the pages of the guide import.

Each module holds one idea of the guide. Nothing here knows about MkDocs: the
pages and figures are built from this package, never the other way round.
"""

__version__ = "0.1.0"
