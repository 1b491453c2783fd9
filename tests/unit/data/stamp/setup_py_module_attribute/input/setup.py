from setuptools import setup
import six

setup(name="six", version=six.__version__, py_modules=["six"])
