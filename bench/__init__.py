"""Benchmarks of memtui, run from the repository root with `python -m bench` (see README.md).

Each benchmark module defines `run(argv) -> int`; `bench.seed` builds the synthetic stores
they measure.
"""
