from setuptools import setup

setup(
    name="pydemo",
    version="1.1",
)
