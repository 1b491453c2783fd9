import sys

from pydemo import __version__, greet


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(f"{greet(args[0] if args else 'world')} (pydemo {__version__})")
    return 0
