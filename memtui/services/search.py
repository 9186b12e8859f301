"""Search as you type over every memory: candidates from a word index, ranked by rapidfuzz.

A full rapidfuzz scan per keystroke costs ~700 ms at 100,000 beliefs and ~7 s at 1,000,000
(research/performance.md, section 2), and `process.extract` holds the GIL all along, which
would freeze the app even from a worker thread. So the index is an in-memory SQLite database
(the stdlib's sqlite3, nothing on disk): a table of the memories' fields for the filters, and
an FTS5 word index with prefix indexes over their text. A keystroke

1. splits the query into words (case and accents folded as the index folds them);
2. turns each word into alternatives: the word itself as a prefix (the last word is still
   being typed), the index's words within one or two typos of it (rapidfuzz over the
   vocabulary, a few thousand short strings, not over the memories), and two indexed words
   it may be glued from ("timezone" finds "time zones");
3. asks FTS5 for the newest CANDIDATES memories that match every word (in any order), and
   when that finds too few, those matching any of them. SQLite releases the GIL meanwhile;
4. ranks those candidates with rapidfuzz's WRatio against the whole query, and marks the
   characters of each hit that matched, for highlighting.

`python -m bench search` measures this path against a full rapidfuzz scan. The filter-only
listing (empty query) returns the matching ids, newest change first, as one compact array
that a virtual list indexes into; `entries()` gives the rows on screen.

The index is built from the store in one query (`SearchIndex.build`), and kept current by the
app: `update(records)` after an action, `remove(ids)` when a memory disappears, or
`refresh(db, ids)` to reload some from the store. Every method may be called from any thread.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Indel
from sqlalchemy import select

from memtui.core.models import Kind, Scope, Status
from memtui.core.records import IndexedMemory, MemoryRecord, SearchHit
from memtui.store.database import Database
from memtui.store.fastread import revision, sqlite_file
from memtui.store.models import Evidence, Memory, Project
from memtui.store.schema import HEAD_REVISION

CANDIDATES = 400
"""Memories fetched from the word index per query and ranked by rapidfuzz (~5 us each)."""
DEFAULT_LIMIT = 50
TYPED_LIMIT = 200
"""Hits a screen searching as the person types draws per search (`SearchIndex.as_typed`)."""
COVER_WEIGHT = 0.85
"""Share of a hit's score from how well each query word is matched by a word of the text;
the rest is how contiguously the whole query appears in it (rapidfuzz partial_ratio)."""
PREFIX_SCORE = 90.0
"""A query word matched as the beginning of a word of the text (it is still being typed)."""
SPLIT_SCORE = 85.0
"""A query word matched as two words of the text ("timezone", "time zones")."""
FUZZY_WORDS = 6
"""Indexed words kept as typo alternatives of one query word."""
COMMON_SHARE = 0.2
COMMON_MIN = 10_000
"""A query word found in more than this share of the memories, and in more than COMMON_MIN of
them, is left out of the FTS5 query (it still counts in the ranking)."""
TOKEN_CACHE = 512
"""Query words whose alternatives are remembered: typing re-reads the words before the last."""

_WORD = re.compile(r"[^\W_]+")
"""A word as FTS5's unicode61 tokenizer sees it: letters and digits (the underscore splits)."""


class Superseded(Exception):
    """A newer search replaced this one before it finished: its result is not wanted."""


def fold(text: str) -> str:
    """Text as the index compares it: accents removed, case folded."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The indexed words of a text."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Which memories a search or a listing considers. None means any."""

    statuses: frozenset[Status] | None = frozenset({Status.CONFIRMED})
    kinds: frozenset[Kind] | None = None
    scope: Scope | None = None
    project: str | None = None
    """A project root: that project's memories (and the global ones, with `with_global`)."""
    with_global: bool = True
    tools: frozenset[str] | None = None
    """Memories with evidence from any of these tools."""
    locked: bool | None = None


BELIEFS = SearchFilters()
"""The confirmed beliefs (the default)."""
ANY = SearchFilters(statuses=None)
"""Every memory, whatever its status."""


@dataclass(slots=True)
class _Alternatives:
    """What one query word may match in the index."""

    exact: dict[str, float] = field(default_factory=dict)
    """Whole words, with how closely each spells the query word (0-100)."""
    prefixes: set[str] = field(default_factory=set)
    splits: list[tuple[str, str]] = field(default_factory=list)
    _starts: re.Pattern[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes or self.splits)

    def starts(self) -> re.Pattern[str] | None:
        """A pattern finding a word that begins with one of the prefixes, in text whose words
        are separated by whitespace (one C call per text instead of a loop over its words)."""
        if not self.prefixes:
            return None
        if self._starts is None:
            alternatives = "|".join(re.escape(p) for p in sorted(self.prefixes))
            self._starts = re.compile(rf"(?:^|\s)(?:{alternatives})")
        return self._starts

    def expression(self) -> str:
        """An FTS5 query matching any of the alternatives."""
        parts = [f'"{w}"' for w in sorted(self.exact)]
        parts += [f'"{p}"*' for p in sorted(self.prefixes)]
        parts += [f'("{a}" AND "{b}"*)' for a, b in self.splits]
        return "(" + " OR ".join(parts) + ")"


_SCHEMA = (
    """CREATE TABLE docs (
        slot INTEGER PRIMARY KEY,
        id INTEGER NOT NULL UNIQUE,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        scope TEXT NOT NULL,
        project TEXT,
        tools INTEGER NOT NULL,
        locked INTEGER NOT NULL,
        updated INTEGER NOT NULL
    )""",
    # External content: the text is stored once, in docs. The prefix indexes make the first
    # keystrokes ("p", "pr", "pre") as fast as whole words.
    """CREATE VIRTUAL TABLE fts USING fts5(
        text, content='docs', content_rowid='slot',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
    )""",
    "CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row')",
)
_COLUMNS = "d.id, d.text, d.kind, d.status, d.scope, d.project, d.tools, d.locked, d.updated"
_INSERT = (
    "INSERT INTO docs (slot, id, text, kind, status, scope, project, tools, locked, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

_KINDS = {k.value: k for k in Kind}
_STATUSES = {s.value: s for s in Status}
_SCOPES = {s.value: s for s in Scope}
Row = tuple[int, str, str, str, str, str | None, int, int, int]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)

_FROM_FILE = """
INSERT INTO docs (id, text, kind, status, scope, project, tools, locked, updated)
SELECT m.id, m.text, m.kind, m.status, m.scope, p.root,
       coalesce((SELECT sum(b.bit) FROM (
           SELECT DISTINCT {bit} AS bit FROM store.evidence AS e WHERE e.memory_id = m.id
       ) AS b), 0),
       m.locked,
       CAST(strftime('%s', substr(m.updated_at, 1, 19)) AS INTEGER) * 1000000
           + CAST(substr(m.updated_at, 21, 6) AS INTEGER)
FROM store.memories AS m LEFT OUTER JOIN store.projects AS p ON p.id = m.project_id
ORDER BY m.updated_at, m.id
"""
"""Every memory of a SQLite store copied into the index in one statement, oldest change first
(as `_load` orders them), without one Python object per memory: SQLite runs it with the GIL
released. The store keeps timestamps as `YYYY-MM-DD HH:MM:SS.ffffff` (naive UTC), turned here
into microseconds since the epoch, exactly as `_micros` does (the whole seconds from the first
19 characters: strftime would round the fraction to milliseconds first)."""


class SearchIndex:
    """The memories, indexed for search as you type and for filtered listings."""

    def __init__(self) -> None:
        # A URI name, so that a store file can be attached read-only (`_copy_file`).
        self._db = sqlite3.connect(
            "file::memory:", uri=True, check_same_thread=False, isolation_level=None
        )
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._lock = threading.RLock()
        self._next_slot = 1
        self._size = 0
        self._tool_bits: dict[str, int] = {}
        self._tool_names: dict[int, tuple[str, ...]] = {}
        """The tool names of a tool mask, sorted (bits are only ever added, never changed)."""
        self._vocab: dict[str, int] = {}
        """Indexed word -> number of memories holding it."""
        self._sorted: list[str] | None = None
        self._by_length: dict[int, list[str]] | None = None
        self._prefixes: dict[int, list[str]] = {}
        self._cache: OrderedDict[tuple[str, bool], _Alternatives] = OrderedDict()

    # Building and keeping it current

    @classmethod
    def build(cls, db: Database) -> SearchIndex:
        """An index of every memory in the store.

        A SQLite store at the current schema is copied by SQLite itself (`_copy_file`: a
        second or so for 100,000 memories, with the GIL released, so the app stays fluid);
        any other is read through SQLAlchemy.
        """
        index = cls()
        path = sqlite_file(db.url)
        if path is not None and revision(path) == HEAD_REVISION:
            index._copy_file(path)
        else:
            index._load(_read_store(db, None), bulk=True)
        return index

    def _copy_file(self, path: Path) -> None:
        """Fill an empty index from a SQLite store file, in SQL."""
        with self._lock:
            self._db.execute("ATTACH DATABASE ? AS store", (f"{path.resolve().as_uri()}?mode=ro",))
            try:
                self._db.execute("BEGIN")
                tools = [
                    row[0]
                    for row in self._db.execute(
                        "SELECT DISTINCT tool FROM store.evidence ORDER BY tool"
                    )
                ]
                self._tool_mask(tools)
                cases = " ".join(f"WHEN ? THEN {bit}" for bit in self._tool_bits.values())
                bit = f"CASE e.tool {cases} ELSE 0 END" if cases else "0"
                self._db.execute(_FROM_FILE.format(bit=bit), list(self._tool_bits))
                self._db.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
                self._db.execute("COMMIT")
            finally:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                self._db.execute("DETACH DATABASE store")
            self._size, top = self._db.execute(
                "SELECT count(*), coalesce(max(slot), 0) FROM docs"
            ).fetchone()
            self._next_slot = top + 1
            self._vocab = dict(self._db.execute("SELECT term, doc FROM vocab").fetchall())
            self._changed()

    @classmethod
    def from_entries(cls, entries: Iterable[IndexedMemory]) -> SearchIndex:
        """An index of the given memories (benchmarks and tests build one without a store)."""
        index = cls()
        index._load(entries, bulk=True)
        return index

    def update(self, records: Iterable[MemoryRecord | IndexedMemory]) -> None:
        """Add memories, or replace the indexed version of memories already there."""
        self._load((_entry(r) for r in records), bulk=False)

    def remove(self, ids: Iterable[int]) -> None:
        """Forget memories (an undone creation); unknown ids are ignored."""
        with self._lock:
            self._db.execute("BEGIN")
            for memory_id in ids:
                self._delete(memory_id)
            self._db.execute("COMMIT")
            self._changed()

    def refresh(self, db: Database, ids: Collection[int]) -> None:
        """Reload these memories from the store; those no longer there are removed."""
        found = list(_read_store(db, ids))
        self._load(found, bulk=False)
        self.remove(set(ids) - {e.id for e in found})

    def _load(self, entries: Iterable[IndexedMemory], *, bulk: bool) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            if bulk:
                # Oldest change first, so that a higher slot is always a more recent change.
                ordered = sorted(entries, key=lambda e: (e.updated_at, e.id))
                rows = (self._row(entry) for entry in ordered)
                self._db.executemany(_INSERT, rows)
                self._size += len(ordered)
                self._db.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
                self._vocab = dict(self._db.execute("SELECT term, doc FROM vocab").fetchall())
            else:
                for entry in entries:
                    self._delete(entry.id)
                    row = self._row(entry)
                    self._db.execute(_INSERT, row)
                    self._size += 1
                    self._db.execute(
                        "INSERT INTO fts(rowid, text) VALUES (?, ?)", row[:1] + row[2:3]
                    )
                    for word in set(words(entry.text)):
                        self._vocab[word] = self._vocab.get(word, 0) + 1
            self._db.execute("COMMIT")
            self._changed()

    def _row(self, entry: IndexedMemory) -> tuple[Any, ...]:
        slot = self._next_slot
        self._next_slot += 1
        return (
            slot,
            entry.id,
            entry.text,
            entry.kind.value,
            entry.status.value,
            entry.scope.value,
            entry.project,
            self._tool_mask(entry.tools),
            int(entry.locked),
            _micros(entry.updated_at),
        )

    def _delete(self, memory_id: int) -> None:
        old = self._db.execute("SELECT slot, text FROM docs WHERE id = ?", (memory_id,)).fetchone()
        if old is None:
            return
        self._db.execute("INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)", old)
        self._db.execute("DELETE FROM docs WHERE slot = ?", (old[0],))
        self._size -= 1
        for word in set(words(old[1])):
            left = self._vocab.get(word, 0) - 1
            if left > 0:
                self._vocab[word] = left
            else:
                self._vocab.pop(word, None)

    def _changed(self) -> None:
        """Drop what was derived from the vocabulary."""
        self._sorted = None
        self._by_length = None
        self._prefixes = {}
        self._cache.clear()

    def _tool_mask(self, tools: Iterable[str]) -> int:
        mask = 0
        for tool in tools:
            if tool not in self._tool_bits:
                if len(self._tool_bits) >= 62:
                    raise ValueError("the search index tells at most 62 tools apart")
                self._tool_bits[tool] = 1 << len(self._tool_bits)
            mask |= self._tool_bits[tool]
        return mask

    # Reading

    def __len__(self) -> int:
        with self._lock:
            count: int = self._db.execute("SELECT count(*) FROM docs").fetchone()[0]
        return count

    def listing(self, filters: SearchFilters = BELIEFS) -> array[int]:
        """Ids of the memories passing the filters, most recently changed first.

        One compact array (8 bytes an id), not a record per memory: a virtual list reads the
        ids of the rows on screen from it and asks `entries()` for those.
        """
        where, params = self._where(filters)
        with self._lock:
            cursor = self._db.execute(
                f"SELECT d.id FROM docs d WHERE {where} ORDER BY d.slot DESC", params
            )
            return array("q", (row[0] for row in cursor))

    def projects(self) -> list[str]:
        """The project roots of the indexed memories, sorted (for a filter naming a project)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT project FROM docs WHERE project IS NOT NULL ORDER BY project"
            ).fetchall()
        return [row[0] for row in rows]

    def tools(self) -> list[str]:
        """The tools the indexed memories' evidence came from, sorted."""
        with self._lock:
            return sorted(self._tool_bits)

    def count(self, filters: SearchFilters = BELIEFS) -> int:
        """How many memories pass the filters."""
        where, params = self._where(filters)
        with self._lock:
            found: int = self._db.execute(
                f"SELECT count(*) FROM docs d WHERE {where}", params
            ).fetchone()[0]
        return found

    def entries(self, ids: Sequence[int]) -> list[IndexedMemory]:
        """The indexed memories with these ids, in the order given (unknown ids left out)."""
        found: dict[int, IndexedMemory] = {}
        with self._lock:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                query = f"SELECT {_COLUMNS} FROM docs d WHERE d.id IN ({marks})"
                for row in self._db.execute(query, chunk):
                    found[row[0]] = self._entry(row)
        return [found[i] for i in ids if i in found]

    def get(self, memory_id: int) -> IndexedMemory | None:
        """One indexed memory, or None."""
        found = self.entries([memory_id])
        return found[0] if found else None

    def query(
        self,
        text: str,
        filters: SearchFilters = BELIEFS,
        limit: int = DEFAULT_LIMIT,
        *,
        stale: Callable[[], bool] | None = None,
        mark: bool = True,
    ) -> list[SearchHit]:
        """The memories best matching `text`, best first, with the characters that matched.

        Tolerates typos and any word order. An empty query finds nothing: use `listing()`.
        `stale` is asked between the steps; when it answers True (the person typed on), the
        search stops with Superseded. With `mark=False` the hits' positions are left empty
        (working them out was most of a query's time): a screen marks the rows it draws with
        `marker(text)`.
        """
        tokens = list(dict.fromkeys(words(text)))
        if not tokens or limit <= 0:
            return []
        typing = not text[-1:].isspace()
        groups = [
            self._alternatives(token, typing and n == len(tokens) - 1)
            for n, token in enumerate(tokens)
        ]
        pairs = [(t, g) for t, g in zip(tokens, groups, strict=True) if g]
        if not pairs:
            return []
        # Words in most memories ("the", "in") barely narrow the candidates but make FTS5 read
        # long lists: they count in the ranking, not in the query. The rarest word always stays.
        with self._lock:  # the vocabulary may be changing in another thread
            ceiling = max(COMMON_SHARE * self._size, COMMON_MIN)
            pairs.sort(key=lambda pair: self._frequency(pair[1], ceiling))
            pairs = pairs[:1] + [p for p in pairs[1:] if self._frequency(p[1], ceiling) <= ceiling]
            exact_words = len(pairs) > 1 and all(t in self._vocab for t, _ in pairs)
        live = [g for _, g in pairs]
        where, params = self._where(filters)
        rows: list[tuple[int, str]] = []
        if exact_words:
            # The words exactly as typed first: "pnpm use" finds "use pnpm" before "uses pnpm".
            exact = " AND ".join(f'"{t}"' for t, _ in pairs)
            rows = self._candidates(exact, where, params, CANDIDATES // 2)
        every = " AND ".join(g.expression() for g in live)
        searches = [every, " OR ".join(g.expression() for g in live)] if len(live) > 1 else [every]
        for expression in searches:
            if len(rows) >= CANDIDATES or (expression is not every and len(rows) >= limit):
                break
            if stale is not None and stale():
                raise Superseded
            found = {row[0] for row in rows}
            more = self._candidates(expression, where, params, CANDIDATES)
            rows += [r for r in more if r[0] not in found][: CANDIDATES - len(rows)]
        if stale is not None and stale():
            raise Superseded
        return self._rank(text, tokens, groups, rows, limit, mark)

    def as_typed(
        self,
        text: str,
        filters: SearchFilters = BELIEFS,
        *,
        marked: int = 0,
        stale: Callable[[], bool] | None = None,
    ) -> tuple[list[SearchHit], Callable[[str], tuple[int, ...]]]:
        """A search as the beliefs screen runs it per keystroke (and its benchmark times it):
        the best TYPED_LIMIT hits, the first `marked` of them (those on screen) with their
        matched characters, and the marker of the rows drawn later (scrolling)."""
        hits = self.query(text, filters, TYPED_LIMIT, stale=stale, mark=False)
        marker = self.marker(text)
        hits[:marked] = [replace(h, positions=marker(h.memory.text)) for h in hits[:marked]]
        return hits, marker

    def marker(self, text: str) -> Callable[[str], tuple[int, ...]]:
        """The characters `query(text)` marks in a hit's text, as a function of that text:
        pure, cheap for one row, safe to call on any thread."""
        tokens = list(dict.fromkeys(words(text)))
        typing = not text[-1:].isspace()
        groups = [
            self._alternatives(token, typing and n == len(tokens) - 1)
            for n, token in enumerate(tokens)
        ]
        return lambda found: highlight(found, tokens, groups)

    def _candidates(
        self, expression: str, where: str, params: list[Any], limit: int
    ) -> list[tuple[int, str]]:
        """(id, text) of the newest `limit` memories matching the FTS5 expression."""
        query = (
            "SELECT d.id, d.text FROM fts JOIN docs d ON d.slot = fts.rowid "
            f"WHERE fts MATCH ? AND {where} ORDER BY fts.rowid DESC LIMIT ?"
        )
        with self._lock:
            return self._db.execute(query, [expression, *params, limit]).fetchall()

    def _rank(
        self,
        text: str,
        tokens: list[str],
        groups: list[_Alternatives],
        rows: list[tuple[int, str]],
        limit: int,
        mark: bool,
    ) -> list[SearchHit]:
        if not rows:
            return []
        processed = utils.default_process(text)
        texts = [utils.default_process(row[1]) for row in rows]
        # How contiguously the query appears, typos allowed (rapidfuzz, in C).
        contiguity = {
            position: score
            for _, score, position in process.extract(
                processed, texts, scorer=fuzz.partial_ratio, processor=None, limit=None
            )
        }
        scored = []
        for position, folded in enumerate(texts):
            cover = _cover(tokens, groups, folded)
            score = COVER_WEIGHT * cover + (1 - COVER_WEIGHT) * contiguity.get(position, 0.0)
            scored.append((score, position))
        # Best score first; among equals, the most recent change (the highest slot).
        scored.sort(key=lambda found: (found[0], -found[1]), reverse=True)
        best = scored[:limit]
        # A memory removed by another thread meanwhile is left out.
        entries = {e.id: e for e in self.entries([rows[position][0] for _, position in best])}
        return [
            SearchHit(entry, score, highlight(entry.text, tokens, groups) if mark else ())
            for score, position in best
            if (entry := entries.get(rows[position][0])) is not None
        ]

    def _entry(self, row: Row) -> IndexedMemory:
        memory_id, text, kind, status, scope, project, tools, locked, updated = row
        names = self._tool_names.get(tools)
        if names is None:
            names = tuple(sorted(t for t, bit in self._tool_bits.items() if tools & bit))
            self._tool_names[tools] = names
        return IndexedMemory(
            id=memory_id,
            text=text,
            kind=_KINDS[kind],
            status=_STATUSES[status],
            scope=_SCOPES[scope],
            project=project,
            tools=names,
            locked=bool(locked),
            updated_at=EPOCH + updated * MICROSECOND,
        )

    def _where(self, filters: SearchFilters) -> tuple[str, list[Any]]:
        """The SQL condition on `docs d` for the filters, and its parameters."""
        clauses = ["1"]
        params: list[Any] = []

        def among(column: str, values: Collection[str]) -> None:
            if not values:  # an empty choice lets nothing through
                clauses.append("0")
                return
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(sorted(values))

        if filters.statuses is not None:
            among("d.status", [s.value for s in filters.statuses])
        if filters.kinds is not None:
            among("d.kind", [k.value for k in filters.kinds])
        if filters.scope is not None:
            clauses.append("d.scope = ?")
            params.append(filters.scope.value)
        if filters.project is not None:
            if filters.with_global:
                clauses.append("(d.project = ? OR d.scope = 'global')")
            else:
                clauses.append("d.project = ?")
            params.append(filters.project)
        if filters.tools is not None:
            with self._lock:
                mask = sum(self._tool_bits.get(t, 0) for t in filters.tools)
            clauses.append("(d.tools & ?) != 0")
            params.append(mask)
        if filters.locked is not None:
            clauses.append("d.locked = ?")
            params.append(int(filters.locked))
        return " AND ".join(clauses), params

    # Turning a query word into what it may match

    def _alternatives(self, token: str, typing: bool) -> _Alternatives:
        key = (token, typing)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
            found = self._expand(token, typing)
            self._cache[key] = found
            if len(self._cache) > TOKEN_CACHE:
                self._cache.popitem(last=False)
            return found

    def _expand(self, token: str, typing: bool) -> _Alternatives:
        found = _Alternatives()
        as_prefix = typing or len(token) >= 3
        if as_prefix and self._has_prefix(token):
            found.prefixes.add(token)
        elif token in self._vocab:
            found.exact[token] = 100.0
        if len(token) >= 4:
            cutoff = 75.0 if len(token) < 6 else 80.0
            for word, score, _ in process.extract(
                token, self._near_length(len(token)), scorer=fuzz.ratio,
                score_cutoff=cutoff, limit=FUZZY_WORDS,
            ):  # fmt: skip
                if not (as_prefix and word.startswith(token)):
                    found.exact[word] = score
            if typing:  # a typo in a word not finished yet: compare with the words' beginnings
                for start, _, _ in process.extract(
                    token, self._prefixes_of(len(token)), scorer=fuzz.ratio,
                    score_cutoff=cutoff, limit=FUZZY_WORDS,
                ):  # fmt: skip
                    found.prefixes.add(start)
        if len(token) >= 5 and not (found.prefixes or token in found.exact):
            for cut in range(2, len(token) - 2):
                head, tail = token[:cut], token[cut:]
                if head in self._vocab and self._has_prefix(tail):
                    found.splits.append((head, tail))
        return found

    def _frequency(self, group: _Alternatives, ceiling: float) -> float:
        """About how many memories a query word matches (counted up to `ceiling`)."""
        total = float(sum(self._vocab.get(w, 0) for w in group.exact))
        ordered = self._sorted_vocab()
        for start in group.prefixes:
            at = bisect_left(ordered, start)
            while at < len(ordered) and ordered[at].startswith(start) and total <= ceiling:
                total += self._vocab[ordered[at]]
                at += 1
        return total

    def _has_prefix(self, start: str) -> bool:
        ordered = self._sorted_vocab()
        at = bisect_left(ordered, start)
        return at < len(ordered) and ordered[at].startswith(start)

    def _sorted_vocab(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self._vocab)
        return self._sorted

    def _near_length(self, length: int) -> list[str]:
        """Indexed words of about this length (only they can be within a typo or two)."""
        if self._by_length is None:
            buckets: defaultdict[int, list[str]] = defaultdict(list)
            for word in self._vocab:
                buckets[len(word)].append(word)
            self._by_length = dict(buckets)
        return [w for n in range(length - 2, length + 3) for w in self._by_length.get(n, ())]

    def _prefixes_of(self, length: int) -> list[str]:
        """The distinct beginnings of this length of the indexed words."""
        if length not in self._prefixes:
            self._prefixes[length] = sorted({w[:length] for w in self._vocab if len(w) > length})
        return self._prefixes[length]


def highlight(text: str, tokens: Sequence[str], groups: Sequence[_Alternatives]) -> tuple[int, ...]:
    """Offsets of the characters of `text` that the query words matched."""
    spans = [(m.start(), m.group()) for m in _WORD.finditer(text)]
    folded = [fold(w) for _, w in spans]
    marked: set[int] = set()

    def mark(at: int, original: str, local: Iterable[int], same_length: bool) -> None:
        if same_length:
            marked.update(at + offset for offset in local)
        else:  # folding changed its length ("ß" -> "ss"): mark the whole word
            marked.update(range(at, at + len(original)))

    for token, group in zip(tokens, groups, strict=True):
        hit = False
        typed = token in group.prefixes
        starts = tuple(group.prefixes)
        for n, ((at, original), word) in enumerate(zip(spans, folded, strict=True)):
            same = len(word) == len(original)
            if word == token or (typed and word.startswith(token)):
                mark(at, original, range(len(token)), same)
                hit = True
            elif word in group.exact or (starts and word.startswith(starts)):
                mark(at, original, _common(token, word), same)
                hit = True
            elif group.splits and n + 1 < len(spans):
                for head, tail in group.splits:
                    if word == head and folded[n + 1].startswith(tail):
                        mark(at, original, range(len(word)), same)
                        nxt_at, nxt = spans[n + 1]
                        mark(nxt_at, nxt, range(len(tail)), len(folded[n + 1]) == len(nxt))
                        hit = True
        if not hit and len(token) >= 3:
            lowered = text.lower()
            if len(lowered) == len(text):
                found = fuzz.partial_ratio_alignment(token, lowered, score_cutoff=70)
                if found is not None:
                    window = lowered[found.dest_start : found.dest_end]
                    marked.update(found.dest_start + i for i in _common(token, window))
    return tuple(sorted(marked))


def _cover(tokens: Sequence[str], groups: Sequence[_Alternatives], folded: str) -> float:
    """How well each query word is matched by some word of the text (folded, its words
    separated by whitespace), on average (0-100)."""
    present = set(folded.split())
    total = 0.0
    for token, group in zip(tokens, groups, strict=True):
        if token in present:
            total += 100.0
            continue
        best = max((group.exact[w] for w in present.intersection(group.exact)), default=0.0)
        starts = group.starts() if best < PREFIX_SCORE else None
        if starts is not None and starts.search(folded):
            best = PREFIX_SCORE if token in group.prefixes else max(best, 80.0)
        if best < SPLIT_SCORE and any(head in present for head, _ in group.splits):
            best = SPLIT_SCORE
        total += best
    return total / len(tokens)


def _common(token: str, word: str) -> list[int]:
    """Offsets in `word` of the characters it shares with `token`, in order."""
    return [
        j
        for block in Indel.opcodes(token, word)
        if block.tag == "equal"
        for j in range(block.dest_start, block.dest_end)
    ]


def _micros(moment: datetime) -> int:
    """A timestamp as whole microseconds since the epoch (exact, unlike a float)."""
    return (moment - EPOCH) // MICROSECOND


def _entry(record: MemoryRecord | IndexedMemory) -> IndexedMemory:
    if isinstance(record, IndexedMemory):
        return record
    return IndexedMemory(
        id=record.id,
        text=record.text,
        kind=record.kind,
        status=record.status,
        scope=record.scope,
        project=record.project,
        tools=tuple(dict.fromkeys(e.tool for e in record.evidence)),
        locked=record.locked,
        updated_at=record.updated_at,
    )


def _read_store(db: Database, ids: Collection[int] | None) -> list[IndexedMemory]:
    """The memories (all, or those with these ids), with their evidence's tools: one query."""
    M, P, E = Memory.__table__.c, Project.__table__.c, Evidence.__table__.c
    joined = Memory.__table__.outerjoin(Project.__table__).outerjoin(
        Evidence.__table__, E.memory_id == M.id
    )
    query = (
        select(M.id, M.text, M.kind, M.status, M.scope, P.root, M.locked, M.updated_at, E.tool)
        .select_from(joined)
        .distinct()
        .order_by(M.id)
    )
    if ids is not None:
        query = query.where(M.id.in_(list(ids)))
    found: list[IndexedMemory] = []
    tools: list[str] = []
    last: Any = None
    with db.read() as session:
        for row in session.execute(query):
            if last is not None and row.id != last.id:
                found.append(_indexed(last, tools))
                tools = []
            last = row
            if row.tool is not None and row.tool not in tools:
                tools.append(row.tool)
    if last is not None:
        found.append(_indexed(last, tools))
    return found


def _indexed(row: Any, tools: list[str]) -> IndexedMemory:
    return IndexedMemory(
        id=row.id,
        text=row.text,
        kind=row.kind,
        status=row.status,
        scope=row.scope,
        project=row.root,
        tools=tuple(tools),
        locked=row.locked,
        updated_at=row.updated_at,
    )
