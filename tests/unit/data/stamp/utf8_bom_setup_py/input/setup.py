# coding: utf-8
from setuptools import setup
setup(name="pydémo", version="1.0")
