"""SVG snapshots of each screen and pane, drawn from the demo data (tests/ui/scenes.py).

After a deliberate change of the screens: `pytest tests/ui/test_snapshots.py --snapshot-update`,
look at the report, and `python -m tests.ui.scenes` to redraw screenshots/ for the README.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from memtui.store import Database
from tests.ui.scenes import SCENES, SIZE, Scene, demo_environment, play, scene_app

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("scene", SCENES, ids=lambda s: s.name)
def test_scene(scene: Scene, snap_compare: SnapCompare, tmp_path: Path) -> None:
    with demo_environment() as demo:
        database = Database(demo.db_url)
        app = scene_app(database, scene, tmp_path / "prefs.json")

        async def run_before(pilot: Pilot[None]) -> None:
            await play(app, pilot, scene)

        try:
            assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
        finally:
            database.close()
