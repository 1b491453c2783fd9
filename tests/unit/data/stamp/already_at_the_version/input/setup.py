setup(version="1.0")
