"""Copying text for the person: the system clipboard, else the terminal's own (OSC 52)."""

from __future__ import annotations

from textual.app import App


def copy(app: App[object], text: str) -> str:
    """Put `text` on the clipboard; return what to tell the person.

    pyperclip reaches the system clipboard (xclip, wl-copy, pbcopy, Windows). Where there is
    none (a server, a container, an SSH session) the text goes through the terminal's clipboard
    escape sequence, which most terminals honour and some (macOS Terminal) ignore: say so.
    """
    import pyperclip  # only when something is copied

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        app.copy_to_clipboard(text)
        return (
            "Copied through the terminal (OSC 52): no system clipboard was found. "
            "If nothing was copied, your terminal does not allow it."
        )
    return "Copied to the clipboard."
