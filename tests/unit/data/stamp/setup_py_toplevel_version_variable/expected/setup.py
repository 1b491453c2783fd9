# -*- coding: utf-8 -*-
from setuptools import setup

version = "3.2.0"

setup(
    name="pydemo",
    version=version,
    download_url="https://example.invalid/pydemo-%s.tar.gz" % version,
    zip_safe=False,
)
