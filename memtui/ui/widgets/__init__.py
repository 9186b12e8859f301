"""Widgets of the app: each draws state handed down to it and posts what the person did."""
