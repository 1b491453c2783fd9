from .version import VERSION as __version__
