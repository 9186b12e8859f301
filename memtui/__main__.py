"""`python -m memtui`: the same entry point as the `memtui` command."""

import sys

from memtui.cli import main

sys.exit(main())
