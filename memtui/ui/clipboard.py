"""Copying a text: to the system clipboard (pyperclip), else through the terminal (OSC 52)."""

from __future__ import annotations

from textual.app import App

SYSTEM = "copied to the clipboard"
TERMINAL = "copied through the terminal (no system clipboard found)"


def copy_text(app: App[object], text: str) -> str:
    """Copy `text` and say how. Call it from a worker thread: pyperclip runs a program
    (xclip, wl-copy, pbcopy...). Without a system clipboard the text goes out as the
    terminal's clipboard escape sequence (App.copy_to_clipboard writes OSC 52)."""
    import pyperclip  # only when something is copied

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        app.call_from_thread(app.copy_to_clipboard, text)
        return TERMINAL
    return SYSTEM
