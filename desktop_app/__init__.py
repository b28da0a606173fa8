"""Haven: a private, offline support chat for people in distress."""

__version__ = "0.1.0"
