import setuptools

with open("README.md", "r") as fh:
    long_description = fh.read()

setuptools.setup(name="pydemo", version="0.1.0", author="Example Author",
                 description="A small example package",
                 long_description=long_description,
                 long_description_content_type="text/markdown",
                 packages=setuptools.find_packages(),
                 python_requires=">=3.6")
