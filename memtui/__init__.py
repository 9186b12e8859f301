"""memtui: curated, versioned memory from what you tell your AI coding agents."""

__version__ = "0.1.0"
