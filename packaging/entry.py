"""The frozen app's entry point: the same `alegra-wizard` command as the console script."""

import sys

from wizard.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
