import math
import pathlib
import sys

import pytest

import pyfast
from pyfast import _core


def test_the_package_is_installed_not_the_source_tree():
    here = pathlib.Path(__file__).resolve().parents[1]
    assert here not in pathlib.Path(pyfast.__file__).resolve().parents
    assert pathlib.Path(_core.__file__).suffix == ".so"


def test_primes():
    assert pyfast.primes_below(20) == [2, 3, 5, 7, 11, 13, 17, 19]
    assert len(pyfast.primes_below(100_000)) == 9592
    assert pyfast.is_prime(1_000_000_007)
    assert not pyfast.is_prime(1_000_000_007 * 3)


def test_summarize():
    s = pyfast.summarize([2, 4, 4, 4, 5, 5, 7, 9])
    assert (s.count, s.mean, s.min, s.max) == (8, 5, 2, 9)
    assert math.isclose(s.variance, 32 / 7)


def test_errors_reach_python():
    with pytest.raises(ValueError):
        pyfast.summarize([])
    with pytest.raises(TypeError):
        pyfast.primes_below(-1)


def test_built_for_this_python():
    tag = f"cpython-{sys.version_info.major}{sys.version_info.minor}"
    assert tag in pathlib.Path(_core.__file__).name
