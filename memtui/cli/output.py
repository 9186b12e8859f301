"""Printing for scripts: JSON on stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from memtui.core.bulk import gc_paused


def emit_json(data: object) -> None:
    """Print JSON for scripts: compact, UTF-8, one document."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False))
    sys.stdout.write("\n")


def stream_json_list(items: Iterable[object]) -> None:
    """Print a JSON list item by item: 100,000 memories never sit in one string."""
    out = sys.stdout
    out.write("[")
    with gc_paused():
        for position, item in enumerate(items):
            if position:
                out.write(",")
            out.write(json.dumps(item, ensure_ascii=False))
    out.write("]\n")
