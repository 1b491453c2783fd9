"""The version, apart so that setup tools can read it."""

VERSION = "1.0.0"
