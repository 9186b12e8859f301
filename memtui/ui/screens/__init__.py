"""Screens of the app: the inbox, and the dialogs it opens."""
