"""Clearway: open, AI-assisted electronic customs clearance."""

__version__ = "0.1.0"
