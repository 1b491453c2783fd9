# Sphinx configuration
project = "pydemo"
author = "Ada Lovelace"
# The short X.Y version
version = '1.2'
# The full version, including alpha/beta/rc tags
release = '1.2.0'
extensions = ["sphinx.ext.autodoc"]
