"""Cursor (IDE chat, composer and agent): VS Code-style SQLite key-value databases.

Where (formats/transcripts.md §6): the user-data folder `Cursor/User` (macOS `~/Library/
Application Support`, Linux `$XDG_CONFIG_HOME` or `~/.config`, Windows `%APPDATA%`), with
`globalStorage/state.vscdb` and one `workspaceStorage/<hash>/state.vscdb` per opened folder,
`<hash>/workspace.json` naming that folder (`{"folder": "file:///abs/path"}`). Each database is
one transcript here; a message is located by `index` (its position in its conversation), its
`message_id` is `<composerId>:<bubbleId>` and its `session_id` the composer id.

Nothing here is documented by Cursor; it is what third-party exporters read (sources below):

- Modern (2025 on), table `cursorDiskKV(key, value)`: `composerData:<composerId>` holds a
  conversation's metadata (`createdAt`/`lastUpdatedAt` epoch ms, `status`,
  `generatingBubbleIds`) and its order, `fullConversationHeadersOnly: [{bubbleId, type}]`, or
  in older builds the bubbles themselves inline in `conversation: [...]`;
  `bubbleId:<composerId>:<bubbleId>` holds one message: `type` 1 (the person, HUMAN) or 2 (the
  model, AGENT), `text`, else `richText` (a Lexical editor state as a JSON string, whose text
  nodes are collected), `createdAt` (ISO string). Verified in chatrxiv
  `docs/cursor/storage-reference.md` (schema `_v` 10/3, Dec 2025), cursor-chat-browser
  `src/app/api/workspaces/[id]/tabs/route.ts` and AgentOrchestrator/AgentBase `docs/CURSOR.md`.
- Legacy (2024): `ItemTable` key `workbench.panel.aichat.view.aichat.chatdata` =
  `{tabs: [{tabId, bubbles: [{type: "user"|"ai", text}]}]}` (cursor-chat-browser).
- Project: a workspace database's is its `workspace.json` folder. A conversation of the global
  database is attributed by the first of: the composer head's `workspaceIdentifier` (table
  `composerHeaders`, or `allComposers` of the `ItemTable` key `composer.composerData`: newer
  builds, UNVERIFIED, seen only in third-party code), its `composerData.workspaceIdentifier`
  (UNVERIFIED), the user bubbles' `workspaceUris` (chatrxiv), the absolute `rootPath` of a
  `messageRequestContext:<composerId>:*` row's `projectLayouts` (cursor-chat-browser; whether
  rootPath is absolute is UNVERIFIED, a bare name is ignored); else None.
- A composer whose head or data carries `subagentInfo` is a sub-agent's: its user bubbles were
  written by the main agent, so they are INJECTED (UNVERIFIED).
- `ItemTable` also holds Cursor's credentials: only the keys named above are ever read.

Reading without disturbing Cursor. Cursor keeps these databases open in WAL mode and updates
rows in place. Opening them directly, even read-only, would take part in SQLite's locking:
create `-wal`/`-shm` files when they are missing, hold a read mark that stops Cursor's
checkpoints from resetting its log, or wait on Cursor's write lock. `immutable=1` avoids all
that but ignores the `-wal` file, where Cursor's latest messages sit until the next checkpoint.
So a read copies `state.vscdb` and its `-wal` into a private temporary folder (0700, removed at
the end of the read) and opens the copy with `mode=ro`. The copy takes no lock on Cursor's
files, so it can neither block Cursor nor be blocked by it. The WAL is copied before the
database, and the read is retried (then reported as an OSError) when the database, the log's
header or a hot rollback journal changed during the copy: log appends during the copy are
harmless (SQLite replays only whole committed transactions of the copied log), a checkpoint or a
log restart is not. The price: each read of a changed database copies it whole (the global one
can weigh gigabytes), and the copy briefly holds what the database holds, credentials included.
A database whose size and mtime (with its `-wal`) are those of the last read is not copied.

Incremental reads. ReadState.context carries, per composer, `[messages consumed, fingerprint,
digest of the consumed bubble ids, project]`, per legacy tab `[consumed, digest]`. The
fingerprint (`lastUpdatedAt|headers|inline bubbles|status|last bubble id`, or `bad:<length>`
for a value that is not JSON) is computed by SQLite's JSON functions without decoding the value
in Python, so an unchanged composer costs one row. A changed composer is read from where it
stopped; if its consumed bubbles are no longer the same (a conversation edited and resent), all
its messages are returned again, with the same message ids. Bubbles still being written are
held back: one listed in `generatingBubbleIds`, the last answer of a composer whose `status` is
`generating`, and a bubble whose row is missing while no later one exists (Cursor writes the
order before the bubble). Malformed values are reported once each (Skipped), never raised.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, ClassVar, TypeGuard
from urllib.parse import unquote, urlsplit

from memtui.core.transcripts import Author, Message, ReadResult, ReadState, Skipped
from memtui.sources.base import Source, parse_time, project_of
from memtui.sources.sqlite_copy import json_value, open_copy, signature, snapshot

TOOL = "cursor"
DB_NAME = "state.vscdb"
SQLITE_HEADER = b"SQLite format 3\x00"
LEGACY_CHAT_KEY = "workbench.panel.aichat.view.aichat.chatdata"
HEADS_KEY = "composer.composerData"
CONTEXT_VERSION = 1
BATCH = 500
"""Keys per `IN (...)` query, below SQLite's smallest limit on bound parameters."""
USER_TYPES = (1, "user")
AGENT_TYPES = (2, "ai")
BLOCK_NODES = frozenset({"paragraph", "heading", "quote", "code", "list", "listitem", "table"})
"""Lexical nodes laid out as lines of their own."""
_DRIVE = re.compile(r"^/[A-Za-z]:[/\\]")


# --- a private snapshot of a live SQLite database ---------------------------------------------


# --- values -------------------------------------------------------------------------------------


def _digest(ids: Sequence[str]) -> str:
    return hashlib.blake2b("\x00".join(ids).encode(), digest_size=8).hexdigest()


def lexical_text(value: object) -> str | None:
    """The text of a Lexical editor state (a JSON string or its object); None if malformed."""
    if isinstance(value, str):
        try:
            value = json_value(value)
        except ValueError:
            return None
    if not isinstance(value, dict):
        return None
    root = value.get("root", value)
    return _lexical(root, 0) if isinstance(root, dict) else None


def _lexical(node: Any, depth: int) -> str:
    if not isinstance(node, dict) or depth > 200:
        return ""
    if node.get("type") == "linebreak":
        return "\n"
    children = node.get("children")
    if not isinstance(children, list):
        text = node.get("text")
        return text if isinstance(text, str) else ""
    parts = [_lexical(child, depth + 1) for child in children]
    blocks = node.get("type") == "root" or any(
        isinstance(child, dict) and child.get("type") in BLOCK_NODES for child in children
    )
    return ("\n" if blocks else "").join(parts)


def bubble_text(bubble: Mapping[str, Any]) -> tuple[str, str | None]:
    """A bubble's text (`text`, else its rich text) and the problem met, if any."""
    text = bubble.get("text")
    if isinstance(text, str) and text.strip():
        return text, None
    for key in ("rawText", "richText", "initText"):
        rich = bubble.get(key)
        if not rich:
            continue
        if key == "rawText":
            if isinstance(rich, str) and rich.strip():
                return rich, None
            continue
        extracted = lexical_text(rich)
        if extracted is None:
            return "", f"malformed {key}"
        if extracted.strip():
            return extracted, None
    return "", None


def file_uri_path(uri: str) -> str | None:
    """The local path of a `file://` URI; None for another scheme (remote folders)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    path = unquote(parts.path)
    if parts.netloc and parts.netloc != "localhost":
        return f"//{parts.netloc}{path}"  # a UNC share
    if _DRIVE.match(path):
        path = path[1:]  # /c:/Users/... -> c:/Users/...
    return path or None


def _absolute(path: str) -> bool:
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def workspace_folder(workspace_json: Path) -> str | None:
    """The folder a `workspaceStorage/<hash>/workspace.json` names (None for multi-root ones)."""
    try:
        data = json_value(workspace_json.read_bytes())
    except (OSError, ValueError):
        return None
    folder = data.get("folder") if isinstance(data, dict) else None
    return file_uri_path(folder) if isinstance(folder, str) else None


def _identifier_folder(identifier: object, user_dir: Path | None) -> str | None:
    """The folder of a VS Code workspace identifier `{id, uri: {fsPath, path, scheme}}`."""
    if not isinstance(identifier, dict):
        return None
    uri = identifier.get("uri")
    if isinstance(uri, str):
        return file_uri_path(uri)
    if isinstance(uri, dict) and uri.get("scheme", "file") == "file":
        for key in ("fsPath", "path"):
            value = uri.get(key)
            if isinstance(value, str) and value:
                return value[1:] if _DRIVE.match(value) else value
        external = uri.get("external")
        if isinstance(external, str):
            return file_uri_path(external)
    ident = identifier.get("id")
    if user_dir is not None and isinstance(ident, str) and ident and "/" not in ident:
        return workspace_folder(user_dir / "workspaceStorage" / ident / "workspace.json")
    return None


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _range(prefix: str) -> tuple[str, str]:
    """Bounds of the keys starting with `prefix` (ending in `:`), for an indexed range scan."""
    return prefix, prefix[:-1] + ";"


# --- reading one database -----------------------------------------------------------------------

_FINGERPRINTS = """
SELECT substr(key, 14),
       CASE WHEN json_valid(v) THEN printf('%s|%s|%s|%s|%s',
            json_extract(v, '$.lastUpdatedAt'),
            json_array_length(v, '$.fullConversationHeadersOnly'),
            json_array_length(v, '$.conversation'),
            json_extract(v, '$.status'),
            json_extract(v, '$.fullConversationHeadersOnly[' ||
                (json_array_length(v, '$.fullConversationHeadersOnly') - 1) || '].bubbleId'))
       ELSE 'bad:' || length(v) END
FROM (SELECT key, CAST(value AS TEXT) AS v FROM cursorDiskKV WHERE key >= ? AND key < ?)
"""


def _fingerprint(raw: object) -> str:
    """The fingerprint of `_FINGERPRINTS`, computed in Python (SQLite without JSON functions)."""
    try:
        data = json_value(raw)
    except ValueError:
        return f"bad:{len(raw) if isinstance(raw, str | bytes) else 0}"
    if not isinstance(data, dict):
        return "||||"

    def field(value: object) -> str:
        return "" if value is None else str(value)

    def length(value: object) -> str:
        return "" if value is None else str(len(value) if isinstance(value, list) else 0)

    headers = data.get("fullConversationHeadersOnly")
    last = headers[-1] if isinstance(headers, list) and headers else None
    return "|".join(
        (
            field(data.get("lastUpdatedAt")),
            length(headers),
            length(data.get("conversation")),
            field(data.get("status")),
            field(last.get("bubbleId") if isinstance(last, dict) else None),
        )
    )


class _Reading:
    """One read of one database copy."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        previous: Mapping[str, Any],
        human_only: bool,
    ) -> None:
        self.db = connection
        self.path = path
        self.where = str(path)
        self.human_only = human_only
        self.previous_composers = _mapping(previous.get("composers"))
        self.previous_tabs = _mapping(previous.get("tabs"))
        self.composers: dict[str, list[Any]] = {}
        self.tabs: dict[str, list[Any]] = {}
        self.legacy: str | None = None
        self.previous_legacy = previous.get("legacy")
        self.messages: list[Message] = []
        self.skipped: list[Skipped] = []
        self.consumed = 0
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        self.tables = tables
        self.user_dir: Path | None = None
        self.workspace_project: str | None = None
        if path.parent.parent.name == "workspaceStorage":
            folder = workspace_folder(path.parent / "workspace.json")
            self.workspace_project = project_of(folder) if folder else None
        elif path.parent.name == "globalStorage":
            self.user_dir = path.parent.parent
        self._heads: dict[str, dict[str, Any]] | None = None

    def run(self) -> None:
        if "cursorDiskKV" in self.tables:
            for composer_id, fingerprint in self._fingerprints():
                self._composer(composer_id, fingerprint)
        if "ItemTable" in self.tables:
            self._legacy()

    def context(self) -> dict[str, Any]:
        return {
            "v": CONTEXT_VERSION,
            "composers": self.composers,
            "tabs": self.tabs,
            "legacy": self.legacy,
        }

    # --- composers (cursorDiskKV) ---

    def _fingerprints(self) -> list[tuple[str, str]]:
        low, high = _range("composerData:")
        try:
            rows = self.db.execute(_FINGERPRINTS, (low, high)).fetchall()
        except sqlite3.OperationalError as error:
            if "no such function" not in str(error):
                raise
            rows = [
                (key[len(low) :], _fingerprint(value))
                for key, value in self.db.execute(
                    "SELECT key, value FROM cursorDiskKV WHERE key >= ? AND key < ?", (low, high)
                )
            ]
        return [(str(key), str(fingerprint)) for key, fingerprint in rows]

    def _composer(self, composer_id: str, fingerprint: str) -> None:
        known = self.previous_composers.get(composer_id)
        before: list[Any] = known if _composer_state(known) else [0, None, _digest([]), None]
        if before[1] == fingerprint:
            self.composers[composer_id] = before
            self.consumed += before[0]
            return
        row = self.db.execute(
            "SELECT value FROM cursorDiskKV WHERE key = ?", (f"composerData:{composer_id}",)
        ).fetchone()
        try:
            data = json_value(row[0] if row else None)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as error:
            self._skip(f"composer {composer_id}: malformed composerData ({error})", None)
            self.composers[composer_id] = [before[0], fingerprint, before[2], before[3]]
            self.consumed += before[0]
            return
        _ComposerRead(self, composer_id, data, fingerprint, before).run()

    def heads(self) -> dict[str, dict[str, Any]]:
        """Composer heads of the global database, by composer id (newer builds; UNVERIFIED)."""
        if self._heads is not None:
            return self._heads
        heads: dict[str, dict[str, Any]] = {}
        if "composerHeaders" in self.tables:
            for composer_id, value in self.db.execute(
                "SELECT composerId, value FROM composerHeaders"
            ):
                head = _object(value)
                if head is not None and isinstance(composer_id, str):
                    heads[composer_id] = head
        if "ItemTable" in self.tables:
            row = self.db.execute("SELECT value FROM ItemTable WHERE key = ?", (HEADS_KEY,))
            found = row.fetchone()
            data = _object(found[0]) if found else None
            listed = data.get("allComposers") if data else None
            for head in listed if isinstance(listed, list) else []:
                if isinstance(head, dict) and isinstance(head.get("composerId"), str):
                    heads.setdefault(head["composerId"], head)
        self._heads = heads
        return heads

    def project(
        self, composer_id: str, data: Mapping[str, Any], bubbles: Sequence[Mapping[str, Any]]
    ) -> str | None:
        """The project of a composer (module docstring, "Project")."""
        if self.user_dir is None:
            return self.workspace_project
        head = self.heads().get(composer_id, {})
        for identifier in (head.get("workspaceIdentifier"), data.get("workspaceIdentifier")):
            folder = _identifier_folder(identifier, self.user_dir)
            if folder:
                return project_of(folder)
        for bubble in bubbles:
            uris = bubble.get("workspaceUris")
            for uri in uris if isinstance(uris, list) else []:
                folder = _identifier_folder({"uri": uri}, None)
                if folder and _absolute(folder):
                    return project_of(folder)
        return self._layout_project(composer_id)

    def _layout_project(self, composer_id: str) -> str | None:
        low, high = _range(f"messageRequestContext:{composer_id}:")
        for (value,) in self.db.execute(
            "SELECT value FROM cursorDiskKV WHERE key >= ? AND key < ?", (low, high)
        ):
            context = _object(value)
            layouts = context.get("projectLayouts") if context else None
            for layout in layouts if isinstance(layouts, list) else []:
                layout = _object(layout) if isinstance(layout, str) else layout
                root = layout.get("rootPath") if isinstance(layout, dict) else None
                if isinstance(root, str) and root.startswith("file:"):
                    root = file_uri_path(root)
                if isinstance(root, str) and _absolute(root):
                    return project_of(root)
        return None

    def is_subagent(self, composer_id: str, data: Mapping[str, Any]) -> bool:
        if isinstance(data.get("subagentInfo"), dict):
            return True
        if self.user_dir is None:
            return False
        return isinstance(self.heads().get(composer_id, {}).get("subagentInfo"), dict)

    def bubbles(self, composer_id: str, bubble_ids: Sequence[str]) -> dict[str, object]:
        """The raw values of some bubbles of a composer, by bubble id (missing ones absent)."""
        found: dict[str, object] = {}
        prefix = f"bubbleId:{composer_id}:"
        for chunk in _chunks([prefix + bubble_id for bubble_id in bubble_ids]):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, value FROM cursorDiskKV WHERE key IN ({marks})"
            for key, value in self.db.execute(query, tuple(chunk)):
                found[str(key)[len(prefix) :]] = value
        return found

    # --- legacy chat tabs (ItemTable) ---

    def _legacy(self) -> None:
        row = self.db.execute("SELECT value FROM ItemTable WHERE key = ?", (LEGACY_CHAT_KEY,))
        found = row.fetchone()
        if not found:
            return
        raw = found[0]
        self.legacy = hashlib.blake2b(
            raw if isinstance(raw, bytes) else str(raw).encode(), digest_size=8
        ).hexdigest()
        known = {k: v for k, v in self.previous_tabs.items() if _tab_state(v)}
        if self.legacy == self.previous_legacy:
            self.tabs = known
            self.consumed += sum(v[0] for v in known.values())
            return
        try:
            data = json_value(raw)
            tabs = data.get("tabs") if isinstance(data, dict) else None
            if not isinstance(tabs, list):
                raise ValueError("no tabs list")
        except ValueError as error:
            self._skip(f"legacy chat data: malformed ({error})", None)
            self.tabs = known  # what was read stays read
            self.consumed += sum(v[0] for v in known.values())
            return
        for tab in tabs:
            if isinstance(tab, dict) and isinstance(tab.get("tabId"), str):
                self._tab(tab["tabId"], tab.get("bubbles"))

    def _tab(self, tab_id: str, bubbles: object) -> None:
        entries = bubbles if isinstance(bubbles, list) else []
        ids = [_legacy_identity(entry, i) for i, entry in enumerate(entries)]
        known = self.previous_tabs.get(tab_id)
        start = 0
        if _tab_state(known) and known[0] <= len(ids) and known[1] == _digest(ids[: known[0]]):
            start = known[0]
        for index in range(start, len(entries)):
            entry = entries[index]
            if not isinstance(entry, dict):
                self._skip(f"legacy tab {tab_id}: a bubble that is not a JSON object", index)
                continue
            kind = entry.get("type")
            author = Author.HUMAN if kind in USER_TYPES else None
            if author is None and kind in AGENT_TYPES and not self.human_only:
                author = Author.AGENT
            if author is None:
                continue
            text, problem = bubble_text(entry)
            if problem:
                self._skip(f"legacy tab {tab_id}: {problem}", index)
            if not text.strip():
                continue
            bubble_id = entry.get("id") or entry.get("bubbleId")
            self.messages.append(
                Message(
                    tool=TOOL,
                    author=author,
                    text=text,
                    path=self.where,
                    index=index,
                    message_id=f"{tab_id}:{bubble_id if isinstance(bubble_id, str) else index}",
                    session_id=tab_id,
                    timestamp=parse_time(entry.get("timestamp") or entry.get("createdAt")),
                    project=self.workspace_project,
                )
            )
        self.tabs[tab_id] = [len(entries), _digest(ids)]
        self.consumed += len(entries)

    def _skip(self, reason: str, index: int | None) -> None:
        self.skipped.append(Skipped(self.where, reason, index=index))


class _ComposerRead:
    """The new messages of one changed composer."""

    def __init__(
        self,
        reading: _Reading,
        composer_id: str,
        data: dict[str, Any],
        fingerprint: str,
        before: list[Any],
    ) -> None:
        self.reading = reading
        self.id = composer_id
        self.data = data
        self.fingerprint = fingerprint
        self.before = before
        headers = data.get("fullConversationHeadersOnly")
        inline = data.get("conversation")
        self.inline = not (isinstance(headers, list) and headers) and isinstance(inline, list)
        entries = inline if self.inline else headers
        self.entries: list[Any] = entries if isinstance(entries, list) else []
        self.ids = [_bubble_id(entry) for entry in self.entries]

    def run(self) -> None:
        reading, entries, ids = self.reading, self.entries, self.ids
        consumed, _, digest, project = self.before
        start = (
            consumed if consumed <= len(ids) and digest == _digest(_known(ids[:consumed])) else 0
        )
        wanted = {
            bubble_id: index
            for index, bubble_id in enumerate(ids[start:], start)
            if bubble_id is not None and not self._skippable(entries[index])
        }
        raws = {} if self.inline else reading.bubbles(self.id, list(wanted))
        last_found = max((wanted[b] for b in raws), default=-1)
        generating = self._generating()
        read: list[tuple[int, str | None, dict[str, Any]]] = []
        stop = len(entries)
        for index in range(start, len(entries)):
            bubble_id = ids[index]
            if bubble_id is not None and bubble_id in generating:
                stop = index
                break
            if self.inline:
                bubble = entries[index]
                if not isinstance(bubble, dict):
                    self._skip("a bubble that is not a JSON object", index)
                    continue
            else:
                if bubble_id is None:
                    self._skip("a bubble header without bubbleId", index)
                    continue
                if bubble_id not in wanted:
                    continue  # an answer, left undecoded by a human_only read
                if bubble_id not in raws:
                    if last_found > index:
                        self._skip(f"bubble {bubble_id} is missing", index)
                        continue
                    stop = index  # not written yet: read again at the next change
                    break
                try:
                    bubble = json_value(raws[bubble_id])
                    if not isinstance(bubble, dict):
                        raise ValueError("not a JSON object")
                except ValueError as error:
                    self._skip(f"bubble {bubble_id}: malformed JSON ({error})", index)
                    continue
            read.append((index, bubble_id, bubble))
        project = self._emit(read, project if isinstance(project, str) else None)
        reading.composers[self.id] = [
            stop,
            self.fingerprint if stop == len(entries) else None,
            _digest(_known(ids[:stop])),
            project,
        ]
        reading.consumed += stop

    def _skippable(self, entry: object) -> bool:
        """An answer's bubble, which a human_only read need not decode."""
        return (
            self.reading.human_only and isinstance(entry, dict) and entry.get("type") in (2, "ai")
        )

    def _generating(self) -> set[str]:
        listed = self.data.get("generatingBubbleIds")
        generating = (
            {b for b in listed if isinstance(b, str)} if isinstance(listed, list) else set()
        )
        if not generating and self.data.get("status") == "generating" and self.entries:
            last = self.entries[-1]
            if isinstance(last, dict) and last.get("type") in AGENT_TYPES and self.ids[-1]:
                generating.add(str(self.ids[-1]))
        return generating

    def _emit(
        self, read: list[tuple[int, str | None, dict[str, Any]]], project: str | None
    ) -> str | None:
        """Add the messages of the bubbles read; the composer's project (found once)."""
        reading = self.reading
        pending: list[tuple[int, str, Author, str, dict[str, Any]]] = []
        for index, bubble_id, bubble in read:
            header = self.entries[index] if isinstance(self.entries[index], dict) else {}
            kind = bubble.get("type", header.get("type"))
            if kind in USER_TYPES:
                author = Author.HUMAN
            elif kind in AGENT_TYPES and not reading.human_only:
                author = Author.AGENT
            else:
                continue
            text, problem = bubble_text(bubble)
            if problem:
                self._skip(f"bubble {bubble_id}: {problem}", index)
            if text.strip():
                pending.append((index, bubble_id or str(index), author, text, bubble))
        if not pending:
            return project
        if project is None:
            users = [bubble for *_, author, _, bubble in pending if author is Author.HUMAN]
            project = reading.project(self.id, self.data, users)
        subagent = reading.is_subagent(self.id, self.data)
        started = parse_time(self.data.get("createdAt"))
        for index, bubble_id, author, text, bubble in pending:
            if author is Author.HUMAN and subagent:
                author = Author.INJECTED
            moment: datetime | None = parse_time(bubble.get("createdAt")) or started
            reading.messages.append(
                Message(
                    tool=TOOL,
                    author=author,
                    text=text,
                    path=reading.where,
                    index=index,
                    message_id=f"{self.id}:{bubble_id}",
                    session_id=self.id,
                    timestamp=moment,
                    project=project,
                )
            )
        return project

    def _skip(self, reason: str, index: int) -> None:
        self.reading._skip(f"composer {self.id}: {reason}", index)


def _bubble_id(entry: object) -> str | None:
    if isinstance(entry, dict):
        bubble_id = entry.get("bubbleId")
        if isinstance(bubble_id, str) and bubble_id:
            return bubble_id
    return None


def _known(ids: Sequence[str | None]) -> list[str]:
    return [bubble_id or "" for bubble_id in ids]


def _legacy_identity(entry: object, index: int) -> str:
    if isinstance(entry, dict):
        for key in ("id", "bubbleId"):
            if isinstance(entry.get(key), str):
                return str(entry[key])
        text = entry.get("text")
        return f"#{index}:{text if isinstance(text, str) else ''}"
    return f"#{index}"


def _object(raw: object) -> dict[str, Any] | None:
    try:
        value = json_value(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _composer_state(value: object) -> TypeGuard[list[Any]]:
    return (
        isinstance(value, list)
        and len(value) == 4
        and isinstance(value[0], int)
        and value[0] >= 0
        and (value[1] is None or isinstance(value[1], str))
        and isinstance(value[2], str)
    )


def _tab_state(value: object) -> TypeGuard[list[Any]]:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and value[0] >= 0
        and isinstance(value[1], str)
    )


# --- the source ---------------------------------------------------------------------------------


def user_dir(env: Mapping[str, str], home: Path, system: str) -> Path:
    """Cursor's `User` folder on this OS (Electron's appData, as VS Code's)."""
    if system == "Darwin":
        return home / "Library" / "Application Support" / "Cursor" / "User"
    if system == "Windows":
        appdata = env.get("APPDATA", "").strip()
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        return base / "Cursor" / "User"
    config = env.get("XDG_CONFIG_HOME", "").strip()
    base = Path(config).expanduser() if config else home / ".config"
    return base / "Cursor" / "User"


class CursorSource(Source):
    """Cursor's chats, from its global and per-workspace `state.vscdb` databases."""

    tool: ClassVar[str] = TOOL
    label: ClassVar[str] = "Cursor"

    def roots(self, env: Mapping[str, str], home: Path, system: str) -> list[Path]:
        user = user_dir(env, home, system)
        return [user / "globalStorage" / DB_NAME, user / "workspaceStorage"]

    def is_transcript(self, path: Path) -> bool:
        if path.name != DB_NAME:
            return False
        return path.parent.name == "globalStorage" or path.parent.parent.name == "workspaceStorage"

    min_interval: ClassVar[float] = 2.0  # each read copies the database

    def transcript_for(self, changed: Path) -> Path | None:
        """Cursor commits to `state.vscdb-wal` between checkpoints: that is a change of the db."""
        database = changed.with_name(changed.name.removesuffix("-wal"))
        return database if self.is_transcript(database) else None

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.name == DB_NAME and head.startswith(SQLITE_HEADER)

    def read(self, path: Path, state: ReadState, *, human_only: bool = False) -> ReadResult:
        size, mtime_ns = signature(path)
        previous = state.context if state.context.get("v") == CONTEXT_VERSION else {}
        if previous and (state.size, state.mtime_ns) == (size, mtime_ns):
            return ReadResult(messages=[], state=state)
        with tempfile.TemporaryDirectory(
            prefix="memtui-cursor-", ignore_cleanup_errors=True
        ) as folder:
            copy = snapshot(path, Path(folder))
            try:
                with closing(open_copy(copy)) as connection:
                    reading = _Reading(connection, path, previous, human_only)
                    reading.run()
            except sqlite3.Error as error:
                raise OSError(f"cannot read this Cursor database: {error}") from error
        messages = reading.messages
        return ReadResult(
            messages=messages,
            state=ReadState(
                offset=size,
                size=size,
                mtime_ns=mtime_ns,
                position=reading.consumed,
                last_message_id=messages[-1].message_id if messages else state.last_message_id,
                context=reading.context(),
            ),
            skipped=reading.skipped,
        )
