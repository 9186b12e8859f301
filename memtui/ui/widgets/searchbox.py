"""A one-line input whose typing repaints itself only, never the layout of its screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBox(Input):
    """Textual's Input, minus a full layout of the screen per key.

    Input keeps its virtual width equal to its text's width (for scrolling a long text), and
    a change of a widget's virtual size asks for a layout of the whole screen: 5-7 ms per
    letter on the beliefs screen, as long as the search itself. The box's own size never
    depends on its text (its height and width are fixed by CSS), so repainting the box is
    enough: its horizontal scrolling reads the virtual size, which is still kept.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)
