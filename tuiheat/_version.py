"""The version, apart from the package's lazy names (the command line imports only this)."""

__version__ = "0.1.0"
