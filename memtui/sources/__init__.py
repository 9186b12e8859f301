"""Sources: one module per agent tool. Each finds its transcripts and parses them into
Messages. Pure reading: no database, and never a write to an agent's files."""
