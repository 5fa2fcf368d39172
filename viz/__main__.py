"""``python -m viz``: the ``graphgrad`` command, for where the console script is not on PATH."""

import sys

from viz.cli import main

if __name__ == "__main__":  # pytest imports every module to collect doctests: run only when executed
    sys.exit(main())
