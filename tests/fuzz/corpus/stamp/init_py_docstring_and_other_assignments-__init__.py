"""pydemo: a demo package.

Set __version__ = "x.y.z" below; the release pipeline does it for you.
"""

from __future__ import annotations

import logging

from pydemo.core import run  # noqa: F401

__all__ = ["run", "__version__"]
__author__ = "Ada Lovelace"
__version__ = "0.3.0"
__version_info__ = tuple(int(part) for part in __version__.split("."))

logging.getLogger(__name__).addHandler(logging.NullHandler())
