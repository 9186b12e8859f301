"""`python -m memtui`: the same entry point as the `memtui` command."""

import sys

from memtui.cli import main

if __name__ == "__main__":  # worker processes of a large scan import this module again
    sys.exit(main())
