"""A demo package built with flit."""

__version__ = "0.5.0"

from .api import hello  # noqa: E402
