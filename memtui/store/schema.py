"""Facts about the schema that need nothing but the standard library."""

from __future__ import annotations

HEAD_REVISION = "0006"
"""The newest migration in migrations/versions. A test keeps this equal to Alembic's head, so
that starting memtui on an up-to-date database does not have to load Alembic at all."""
