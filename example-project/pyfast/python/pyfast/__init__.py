"""Fast primes and statistics, in C++: DockerPipeline's example of a compiled extension."""

from ._core import Summary, is_prime, primes_below, summarize

__version__ = "0.0.0"

__all__ = ["Summary", "is_prime", "primes_below", "summarize", "__version__"]
