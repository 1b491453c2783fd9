from importlib import metadata

import pytest

import pydemo
from pydemo.cli import main


def test_greet():
    assert pydemo.greet("world") == "Hello, world!"


def test_greet_refuses_empty_name():
    with pytest.raises(ValueError):
        pydemo.greet("")


def test_cli_prints_greeting_and_version(capsys):
    assert main(["CMake"]) == 0
    assert capsys.readouterr().out == f"Hello, CMake! (pydemo {pydemo.__version__})\n"


def test_installed_metadata_carries_the_stamped_version():
    assert metadata.version("pydemo") == pydemo.__version__
    assert pydemo.__version__ != "0.0.0"
