"""`python -m wizard` and the `alegra-wizard` console script."""

from __future__ import annotations

import sys


def main() -> int:
    from wizard.launch import main as launch_main

    return launch_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
