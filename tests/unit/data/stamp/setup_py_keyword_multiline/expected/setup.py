#!/usr/bin/env python
"""Install pydemo; the release script sets version='...' below."""
import io
import os

from setuptools import find_packages, setup

here = os.path.abspath(os.path.dirname(__file__))
with io.open(os.path.join(here, "README.rst"), encoding="utf-8") as f:
    long_description = f.read()

setup(
    name='pydemo',
    description='A demo package',
    long_description=long_description,
    # version='0.0.0' was the placeholder before the first release
    author='Ada Lovelace',
    packages=find_packages(exclude=['tests', 'tests.*']),
    python_requires='>=3.8',
    install_requires=['requests>=2.25', 'packaging'],
    classifiers=[
        'Programming Language :: Python :: 3.8',
        'License :: OSI Approved :: MIT License',
    ],
    version='1.0.0',
    entry_points={'console_scripts': ['pydemo=pydemo.cli:main']},
)
