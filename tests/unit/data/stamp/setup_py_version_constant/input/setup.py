from setuptools import setup

NAME = "pydemo"
VERSION = "1.4.2"
REQUIRES = ["click>=8"]

setup(
    name=NAME,
    version=VERSION,
    install_requires=REQUIRES,
    py_modules=["pydemo"],
)
