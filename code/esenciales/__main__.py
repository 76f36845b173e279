"""Permite ``python -m esenciales``: lo mismo que el comando ``esenciales``."""

import sys

from esenciales.cli import main

if __name__ == "__main__":
    sys.exit(main())
