"""The app's screens as scenes on the demo data: the SVG snapshot tests and the README's
screenshots (`python -m tests.ui.scenes`) are both drawn from this one list.

Everything that could differ between two runs is pinned: the demo is built at a fixed moment
in a fixed folder (its paths are shown in the provenance pane), the app's clock is that moment,
and times are shown in UTC.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from memtui.services.demo import DemoEnv, build_demo
from memtui.store import Database
from memtui.ui.app import MemtuiApp, make_app

DEMO_NOW = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
DEMO_HOME = Path("/tmp/memtui-scenes/home")
"""The demo's folder lives here (and HOME points here) so every run shows the same paths."""
SIZE = (130, 40)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@dataclass(frozen=True, slots=True)
class Scene:
    """One screen of the app: the keys that lead to it from the start, and its theme."""

    name: str
    keys: tuple[str, ...] = ()
    theme: str | None = None


def typed(text: str) -> tuple[str, ...]:
    """The keys that type `text`."""
    return tuple("space" if c == " " else c for c in text)


SCENES = (
    Scene("inbox"),
    Scene("provenance-repeated", ("j",)),
    Scene("lineage", ("slash", *"bash", "enter", "l")),
    Scene("diff", ("slash", *"bash", "enter", "d")),
    Scene("supersede-picker", ("slash", *"bash", "enter", "s")),
    Scene("flagged", ("slash", *"ignore", "enter", "c")),
    Scene("help", ("question_mark",)),
    Scene("inbox-paper", (), theme="memtui-paper"),
    Scene("inbox-contrast", ("slash", *"kind:rule", "enter"), theme="memtui-contrast"),
    Scene("beliefs", ("b",)),
    Scene("beliefs-search", ("b", "slash", *typed("tets nxt"), "enter")),
    Scene("beliefs-revisions", ("b", "slash", *typed("tests next"), "enter", "d")),
    Scene("history", ("h",)),
)


@contextmanager
def demo_environment() -> Iterator[DemoEnv]:
    """The demo built at DEMO_NOW in DEMO_HOME, with HOME and TZ set so that what the app
    shows depends on nothing else; both are put back afterwards."""
    saved = {name: os.environ.get(name) for name in ("HOME", "TZ")}
    shutil.rmtree(DEMO_HOME.parent, ignore_errors=True)
    DEMO_HOME.mkdir(parents=True)
    os.environ["HOME"] = str(DEMO_HOME)
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield build_demo(DEMO_HOME / "demo", now=DEMO_NOW)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        time.tzset()
        shutil.rmtree(DEMO_HOME.parent, ignore_errors=True)


def scene_app(database: Database, scene: Scene, prefs: Path) -> MemtuiApp:
    """The app as a scene shows it: no watcher, the demo's clock, the scene's theme."""
    app = make_app(
        database, watch=False, prefs_file=prefs, clock=lambda: DEMO_NOW, offer_import=False
    )
    if scene.theme:
        app.theme = scene.theme
    return app


async def settle(app: MemtuiApp, pilot: Pilot[None]) -> None:
    """Let every worker finish and the screen catch up with what they posted."""
    for _ in range(5):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await app.workers.wait_for_complete()


async def play(app: MemtuiApp, pilot: Pilot[None], scene: Scene) -> None:
    """Press the scene's keys, letting the app settle after each."""
    await settle(app, pilot)
    for key in scene.keys:
        await pilot.press(key)
        await settle(app, pilot)


async def save_screenshots(folder: Path = SCREENSHOTS) -> list[Path]:
    """Draw every scene into `folder` as SVG."""
    folder.mkdir(exist_ok=True)
    written = []
    with demo_environment() as demo:
        for scene in SCENES:
            database = Database(demo.db_url)
            app = scene_app(database, scene, DEMO_HOME / "prefs.json")
            async with app.run_test(size=SIZE) as pilot:
                await play(app, pilot, scene)
                app.save_screenshot(f"{scene.name}.svg", str(folder))
            database.close()
            written.append(folder / f"{scene.name}.svg")
    return written


if __name__ == "__main__":
    import asyncio

    for path in asyncio.run(save_screenshots()):
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    sys.exit(0)
