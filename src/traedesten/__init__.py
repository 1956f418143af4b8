"""Trædesten: one system for Danish municipal adult social services."""

__version__ = "0.1.0"
