"""Utilities."""
__author__ = "Benjamin Peterson <benjamin@python.org>"
__version__ = "1.17.0"
