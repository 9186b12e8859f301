"""Services over the store: ingest, curate, search, export. Each call is one transaction."""
