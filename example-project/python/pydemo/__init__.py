"""The example package that DockerPipeline releases."""

__version__ = "0.0.0"


def greet(name: str) -> str:
    """Returns the greeting for `name`."""
    if not name:
        raise ValueError("name must not be empty")
    return f"Hello, {name}!"
