"""Errors a person can act on. The CLI prints them as one line; the app shows them."""


class MemtuiError(Exception):
    """Base of every error memtui reports to the user without a traceback."""


class NotFoundError(MemtuiError):
    """A memory, project or other record that the user named does not exist."""


class InvalidInputError(MemtuiError):
    """A value the user gave (a kind, a scope, an empty text, ...) is not acceptable."""


class InvalidStateError(MemtuiError):
    """The action does not apply to the memory in its current status."""


class LockedError(InvalidStateError):
    """The belief is locked: it changes only after an explicit unlock."""


class FlaggedError(InvalidStateError):
    """The candidate's text shows signs of steering an agent: the person must see them first."""


class DatabaseError(MemtuiError):
    """The database cannot be opened, read or migrated."""


class ConfigError(MemtuiError):
    """The configuration file cannot be read or holds a bad value."""


class NothingToUndoError(MemtuiError):
    """There is no action left to undo."""
