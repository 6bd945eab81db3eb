"""Inspection pages, one module per concept (see urls.py)."""
