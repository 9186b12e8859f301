"""The search index: typos, word order, highlights, filters, incremental updates, the store."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from memtui.core.models import Kind, Scope, Status
from memtui.core.records import IndexedMemory
from memtui.services import curate
from memtui.services.curate import ScopeChange
from memtui.services.search import ANY, BELIEFS, SearchFilters, SearchIndex, Superseded
from memtui.store import Database

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SHOP = "/code/shop"


def entry(
    memory_id: int,
    text: str,
    *,
    kind: Kind = Kind.RULE,
    status: Status = Status.CONFIRMED,
    project: str | None = SHOP,
    tools: tuple[str, ...] = ("claude-code",),
    locked: bool = False,
) -> IndexedMemory:
    return IndexedMemory(
        id=memory_id,
        text=text,
        kind=kind,
        status=status,
        scope=Scope.PROJECT if project else Scope.GLOBAL,
        project=project,
        tools=tools,
        locked=locked,
        updated_at=T0 + timedelta(minutes=memory_id),
    )


TEXTS = {
    1: "Use pnpm, not npm, in the web package",
    2: "Prefer pytest fixtures over setUp methods",
    3: "Handle time zones with zoneinfo, never pytz",
    4: "Run make lint before pushing to main",
    5: "The API deploys to Fly.io from the main branch",
    6: "Écrire les messages de commit en français",
}


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex.from_entries(entry(i, t) for i, t in TEXTS.items())


def ids(index: SearchIndex, query: str, filters: SearchFilters = BELIEFS) -> list[int]:
    return [hit.memory.id for hit in index.query(query, filters)]


def marked(index: SearchIndex, query: str) -> str:
    """The best hit's text with the unmatched characters replaced by dots."""
    hit = index.query(query)[0]
    return "".join(c if i in hit.positions else "." for i, c in enumerate(hit.memory.text))


def test_exact_words_prefixes_and_order(index: SearchIndex) -> None:
    assert ids(index, "pytest fixtures")[0] == 2
    assert ids(index, "fixtures pytest")[0] == 2  # any word order
    assert ids(index, "pyte")[0] == 2  # the word being typed is a prefix
    assert ids(index, "main lint")[0] == 4
    assert ids(index, "zzzz") == []
    assert ids(index, "   ") == []


def test_typos(index: SearchIndex) -> None:
    assert ids(index, "pytset fixtrues")[0] == 2  # transpositions
    assert ids(index, "pnmp")[0] == 1
    assert ids(index, "deplys mian")[0] == 5
    assert ids(index, "timezone zoneinfo")[0] == 3  # glued words: "time zones"
    assert ids(index, "fixtr")[0] == 2  # a typo in the word still being typed
    assert ids(index, "francais")[0] == 6  # accents folded


def test_best_match_first(index: SearchIndex) -> None:
    index.update([entry(7, "Use pnpm workspaces for the monorepo")])
    hits = index.query("pnpm not npm")
    assert hits[0].memory.id == 1
    assert hits[0].score > hits[1].score


def spans(text: str, *parts: str) -> set[int]:
    """Offsets of the first occurrence of each part in text."""
    return {text.index(p) + i for p in parts for i in range(len(p))}


def test_highlight_positions(index: SearchIndex) -> None:
    text = TEXTS[2]
    assert set(index.query("pyt fix")[0].positions) == spans(text, "pyt", "fix")
    # Only the letters shared with the misspelt word.
    assert set(index.query("pytset")[0].positions) == spans(text, "pyt") | {
        text.index("pytest") + 4,
        text.index("pytest") + 5,
    }
    hit = index.query("timezone zoneinfo")[0]
    assert set(hit.positions) == spans(TEXTS[3], "time", "zone", "zoneinfo")
    hit = index.query("francais")[0]
    assert hit.memory.text[min(hit.positions) : max(hit.positions) + 1] == "français"
    assert marked(index, "lint main") == ".........lint...................main"


def test_as_typed_marks_the_first_hits_as_query_does(index: SearchIndex) -> None:
    full = index.query("main", limit=200)
    hits, marker = index.as_typed("main", marked=1)
    assert [h.memory.id for h in hits] == [h.memory.id for h in full]
    assert len(hits) > 1
    assert hits[0].positions == full[0].positions != ()
    assert all(h.positions == () for h in hits[1:])  # marked as drawn, with the marker
    assert all(marker(h.memory.text) == f.positions for h, f in zip(hits, full, strict=True))


def test_filters(db_free_index: SearchIndex) -> None:
    index = db_free_index
    everything = SearchFilters(statuses=None)
    assert ids(index, "pnpm") == [1]  # confirmed only by default
    assert set(ids(index, "pnpm", everything)) == {1, 2, 3, 4, 5}
    assert ids(index, "pnpm", SearchFilters(statuses=frozenset({Status.PENDING}))) == [2]
    assert ids(index, "pnpm", SearchFilters(statuses=None, kinds=frozenset({Kind.FACT}))) == [3]
    in_blog = SearchFilters(statuses=None, project="/code/blog")
    assert set(ids(index, "pnpm", in_blog)) == {4, 5}  # its own and the global one
    only_blog = SearchFilters(statuses=None, project="/code/blog", with_global=False)
    assert ids(index, "pnpm", only_blog) == [4]
    assert ids(index, "pnpm", SearchFilters(statuses=None, scope=Scope.GLOBAL)) == [5]
    by_tool = SearchFilters(statuses=None, tools=frozenset({"codex"}))
    assert ids(index, "pnpm", by_tool) == [2]
    assert ids(index, "pnpm", SearchFilters(statuses=None, tools=frozenset({"gemini"}))) == []
    assert ids(index, "pnpm", SearchFilters(statuses=None, locked=True)) == [4]


@pytest.fixture
def db_free_index() -> SearchIndex:
    return SearchIndex.from_entries(
        [
            entry(1, "Use pnpm in the web package"),
            entry(2, "Use pnpm for scripts", status=Status.PENDING, tools=("codex",)),
            entry(3, "The web package uses pnpm", kind=Kind.FACT, status=Status.REJECTED),
            entry(4, "pnpm only", project="/code/blog", status=Status.SUPERSEDED, locked=True),
            entry(5, "Always pnpm", project=None, status=Status.DEPRECATED),
        ]
    )


def test_listing_is_newest_change_first_and_filtered(db_free_index: SearchIndex) -> None:
    index = db_free_index
    assert list(index.listing(ANY)) == [5, 4, 3, 2, 1]
    assert list(index.listing()) == [1]
    assert index.count(ANY) == 5
    index.update([entry(2, "Use pnpm for every script", status=Status.CONFIRMED)])
    assert list(index.listing()) == [2, 1]  # the change moves it to the top
    assert [e.text for e in index.entries([2, 1, 99])] == [
        "Use pnpm for every script",
        "Use pnpm in the web package",
    ]


def test_update_and_remove(index: SearchIndex) -> None:
    assert ids(index, "zoneinfo") == [3]
    index.update([entry(3, "Store timestamps in UTC")])
    assert ids(index, "zoneinfo") == []
    assert ids(index, "timestamps utc") == [3]
    index.remove([3, 42])
    assert ids(index, "timestamps") == []
    assert index.get(3) is None
    assert len(index) == len(TEXTS) - 1
    index.update([entry(8, "Keep zoneinfo in the settings")])  # a word it had forgotten
    assert ids(index, "zoneinfo") == [8]
    assert ids(index, "zoneinfp") == [8]


def test_superseded_search_stops(index: SearchIndex) -> None:
    with pytest.raises(Superseded):
        index.query("pytest fixtures", stale=lambda: True)
    assert ids(index, "pytest") == [2]


def test_queries_from_threads_during_updates(index: SearchIndex) -> None:
    errors: list[BaseException] = []

    def search() -> None:
        try:
            for _ in range(50):
                index.query("pytest fixtures")
                index.listing(ANY)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(2)]
    for thread in threads:
        thread.start()
    for n in range(50):
        index.update([entry(100 + n, f"Rule number {n} about pytest")])
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(index) == len(TEXTS) + 50


def test_built_from_the_store_and_refreshed(db: Database) -> None:
    pnpm, _ = curate.add_belief(db, "Use pnpm, not npm", Kind.RULE, ScopeChange(Scope.GLOBAL))
    english, _ = curate.add_belief(
        db, "Answer in English", Kind.PREFERENCE, ScopeChange(Scope.PROJECT, SHOP)
    )
    index = SearchIndex.build(db)
    [hit] = index.query("pnpm")
    assert hit.memory.tools == ("manual",)
    assert hit.memory.scope == Scope.GLOBAL
    assert index.get(english.id) == IndexedMemory(
        id=english.id,
        text="Answer in English",
        kind=Kind.PREFERENCE,
        status=Status.CONFIRMED,
        scope=Scope.PROJECT,
        project=SHOP,
        tools=("manual",),
        locked=False,
        updated_at=english.updated_at,
    )
    index.update([curate.edit(db, pnpm.id, text="Use pnpm, never npm")])
    assert index.query("never")[0].memory.id == pnpm.id
    curate.undo(db)
    curate.undo(db)
    index.refresh(db, [pnpm.id, english.id])
    assert index.get(english.id) is None  # its creation was undone
    assert index.query("never") == []


def test_an_empty_choice_lets_nothing_through(db_free_index: SearchIndex) -> None:
    nothing = SearchFilters(statuses=frozenset())
    assert ids(db_free_index, "pnpm", nothing) == []
    assert list(db_free_index.listing(nothing)) == []
    assert db_free_index.count(SearchFilters(statuses=None, kinds=frozenset())) == 0


def test_words_in_most_memories_still_rank() -> None:
    """At scale, a word in most memories is left out of the word index query, not the ranking."""
    filler = [entry(n, f"Keep the module number {n} small") for n in range(1, 12_001)]
    index = SearchIndex.from_entries(
        [*filler, entry(20_000, "Keep the parser small"), entry(20_001, "The parser is small")]
    )
    hits = index.query("keep the parser")
    assert [h.memory.id for h in hits[:2]] == [20_000, 20_001]
    assert hits[0].score > hits[1].score
