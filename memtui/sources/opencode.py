"""OpenCode (sst/opencode, now anomalyco/opencode): a SQLite database, or the older JSON store.

Where (formats/transcripts.md §7). OpenCode's data folder is `xdg-basedir`'s `xdgData` plus
`opencode`: `$XDG_DATA_HOME/opencode`, else `~/.local/share/opencode`, on every OS, since
xdg-basedir does not look at the platform (verified in anomalyco/opencode
`packages/opencode/src/global/index.ts` and sindresorhus/xdg-basedir `index.js`; not checked
on a real macOS or Windows machine). `OPENCODE_DB` names another database, absolute or relative
to that folder (upstream `database.ts`, as quoted by a third-party note: UNVERIFIED). Builds of
channels other than latest/beta write `opencode-<channel>.db` (seen in a fork's `db.ts` and in
tokscale: UNVERIFIED upstream).

Two layouts, both read:

1. SQLite `opencode.db` (2026 builds). Verified in anomalyco/opencode
   `packages/opencode/src/session/session.sql.ts` and `storage/json-migration.ts`: tables
   `project(id, worktree, ...)`, `session(id, project_id, parent_id, directory, title,
   time_created, time_updated, ...)`, `message(id, session_id, time_created, time_updated,
   data)` and `part(id, message_id, session_id, time_created, time_updated, data)`, `data` being
   the JSON of a message or part without its ids. The database is the transcript. OpenCode keeps
   it open in WAL mode, so it is read like Cursor's (memtui/sources/cursor.py): from a private
   copy of the database and its `-wal`, never opened in place. The context carries, per session,
   the `(time_created, id)` of the last message consumed; a read returns the messages after it.
2. The JSON store that came before (`storage/`, migrated into the database by newer builds,
   which leave the files in place): `session/<projectID>/<sessionID>.json`,
   `message/<sessionID>/<messageID>.json`, `part/<messageID>/<partID>.json` (same
   json-migration.ts). The transcript is the session file: a read lists the session's message
   files and the part files of each, and hands the messages, ordered, to `resume_whole`. The
   session file is rewritten when a prompt starts (`time.updated`) but not at each message or
   part, so a watcher that follows session files sees a turn late (at the session's next
   rewrite); a scan sees everything.

Messages (verified: `MessageV2` in `packages/opencode/src/session/message-v2.ts`): `role`
`user` or `assistant`, `time.created` (epoch ms), an answer's `time.completed` and `error`.
Parts: `type` `text` (`text`, `synthetic`, `ignored`), `reasoning`, `tool`, `file`, `agent`,
`subtask`, `compaction`, `step-start`, ... Only text parts are read, one Message each
(`message_id` = the part id, `session_id` = the session id, `index` = the message's position in
its session, in OpenCode's order: `time.created`, then id):

- a user message's text is HUMAN; INJECTED when `synthetic` (OpenCode's own text, such as a file
  read for an @mention) or when the session has a parent (a sub-agent's session, whose prompt
  the main agent wrote through its task tool); `ignored` parts are dropped, as OpenCode drops
  them from the model's input;
- an assistant message's text is AGENT.

The project is the session's `directory`, else its project's `worktree`. The last message of a
session waits while it may still change: a user message until the next message exists (its
parts are written after it), an answer until `time.completed` or `error` is set. Malformed
values are reported (Skipped), never raised.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, suppress
from pathlib import Path
from typing import Any, ClassVar

from memtui.core.transcripts import Author, Message, ReadResult, ReadState, Skipped
from memtui.sources.base import Source, parse_time, project_of, read_whole_file, resume_whole
from memtui.sources.sqlite_copy import json_value, open_copy, signature, snapshot

TOOL = "opencode"
SQLITE_HEADER = b"SQLite format 3\x00"
DB_NAME = re.compile(r"opencode(?:-[A-Za-z0-9._-]+)?\.db")
CONTEXT_VERSION = 1
BATCH = 500
TABLES = frozenset({"session", "message", "part"})


# --- a private snapshot of a live SQLite database (as in cursor.py) ----------------------------


# --- values -------------------------------------------------------------------------------------


def _object(raw: object) -> dict[str, Any]:
    """A JSON object; ValueError for anything else."""
    value = json_value(raw)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _created(info: Mapping[str, Any]) -> int | float | None:
    time = info.get("time")
    created = time.get("created") if isinstance(time, dict) else None
    return created if isinstance(created, int | float) and not isinstance(created, bool) else None


def settled(info: Mapping[str, Any], last: bool) -> bool:
    """Whether a message is written for good (its session's last one may not be)."""
    if not last:
        return True
    if info.get("role") != "assistant":
        return info.get("role") != "user"  # a user message waits for the next message
    time = info.get("time")
    return bool(info.get("error")) or (isinstance(time, dict) and time.get("completed") is not None)


def part_message(
    part: Mapping[str, Any], role: object, child_session: bool, human_only: bool
) -> tuple[Author, str] | None:
    """The author and text of a part, if it is a text part worth a Message."""
    if part.get("type") != "text" or part.get("ignored"):
        return None
    text = part.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    if role == "user":
        injected = child_session or bool(part.get("synthetic"))
        return (Author.INJECTED if injected else Author.HUMAN), text
    if role == "assistant" and not human_only:
        return Author.AGENT, text
    return None


def _project(directory: object, worktree: object) -> str | None:
    if isinstance(directory, str) and directory:
        return project_of(directory)
    if isinstance(worktree, str) and worktree and worktree != "/":
        return project_of(worktree)
    return None


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _mark(value: object) -> tuple[int | float, str] | None:
    """A session's `[time_created, id]` from the context, if well formed."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int | float)
        and isinstance(value[1], str)
    ):
        return value[0], value[1]
    return None


# --- the SQLite database ------------------------------------------------------------------------


class _DatabaseReading:
    """One read of a copy of `opencode.db`."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        previous: Mapping[str, Any],
        human_only: bool,
    ) -> None:
        self.db = connection
        self.where = str(path)
        self.previous = previous
        self.human_only = human_only
        self.sessions: dict[str, list[Any]] = {}
        self.messages: list[Message] = []
        self.skipped: list[Skipped] = []
        self.consumed = 0

    def run(self) -> None:
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master")}
        if not TABLES.issubset(tables):
            return  # not created yet, or not OpenCode's
        worktrees: dict[str, object] = {}
        if "project" in tables:
            worktrees = dict(self.db.execute("SELECT id, worktree FROM project").fetchall())
        rows = self.db.execute(
            "SELECT id, directory, parent_id, project_id FROM session ORDER BY time_created, id"
        ).fetchall()
        for session_id, directory, parent_id, project_id in rows:
            self._session(str(session_id), bool(parent_id), directory, worktrees.get(project_id))

    def _session(self, session_id: str, child: bool, directory: object, worktree: object) -> None:
        mark = _mark(self.previous.get(session_id))
        if mark is None:
            rows = self.db.execute(
                "SELECT id, time_created, data FROM message WHERE session_id = ? "
                "ORDER BY time_created, id",
                (session_id,),
            ).fetchall()
            base = 0
        else:
            after = (session_id, mark[0], mark[0], mark[1])
            rows = self.db.execute(
                "SELECT id, time_created, data FROM message WHERE session_id = ? "
                "AND (time_created > ? OR (time_created = ? AND id > ?)) "
                "ORDER BY time_created, id",
                after,
            ).fetchall()
            base = 0
            if rows:
                base = self.db.execute(
                    "SELECT COUNT(*) FROM message WHERE session_id = ? "
                    "AND (time_created < ? OR (time_created = ? AND id <= ?))",
                    after,
                ).fetchone()[0]
        if mark is not None:
            self.sessions[session_id] = list(mark)
        infos: list[tuple[str, Any, dict[str, Any] | None]] = []
        for index, (message_id, created, data) in enumerate(rows):
            try:
                info: dict[str, Any] | None = _object(data)
            except ValueError as error:
                self._skip(
                    f"session {session_id} message {message_id}: malformed ({error})", base + index
                )
                info = None
            last = index == len(rows) - 1
            if info is not None and not settled(info, last):
                break
            infos.append((str(message_id), created, info))
        if not infos:
            return
        wanted = [
            message_id
            for message_id, _, info in infos
            if info is not None and (info.get("role") == "user" or not self.human_only)
        ]
        parts = self._parts(wanted)
        name: str | None = None
        resolved = False
        for offset, (message_id, created, info) in enumerate(infos):
            if info is None:
                continue
            role = info.get("role")
            for part_id, part in parts.get(message_id, []):
                found = part_message(part, role, child, self.human_only)
                if found is None:
                    continue
                if not resolved:
                    name, resolved = _project(directory, worktree), True
                author, text = found
                self.messages.append(
                    Message(
                        tool=TOOL,
                        author=author,
                        text=text,
                        path=self.where,
                        index=base + offset,
                        message_id=part_id,
                        session_id=session_id,
                        timestamp=parse_time(_created(info) or created),
                        project=name,
                    )
                )
        last_id, last_created, _ = infos[-1]
        self.sessions[session_id] = [last_created, last_id]
        self.consumed += len(infos)

    def _parts(self, message_ids: Sequence[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for chunk in _chunks(message_ids):
            marks = ",".join("?" * len(chunk))
            query = (
                f"SELECT id, message_id, data FROM part WHERE message_id IN ({marks}) "
                "ORDER BY message_id, id"
            )
            for part_id, message_id, data in self.db.execute(query, tuple(chunk)):
                try:
                    part = _object(data)
                except ValueError as error:
                    self._skip(f"message {message_id} part {part_id}: malformed ({error})", None)
                    continue
                found.setdefault(str(message_id), []).append((str(part_id), part))
        return found

    def _skip(self, reason: str, index: int | None) -> None:
        self.skipped.append(Skipped(self.where, reason, index=index))


def _read_database(path: Path, state: ReadState, human_only: bool) -> ReadResult:
    size, mtime_ns = signature(path)
    context = state.context
    fresh = context.get("v") == CONTEXT_VERSION and context.get("layout") == "sqlite"
    previous = context.get("sessions") if fresh else None
    if isinstance(previous, Mapping) and (state.size, state.mtime_ns) == (size, mtime_ns):
        return ReadResult(messages=[], state=state)
    with tempfile.TemporaryDirectory(
        prefix="memtui-opencode-", ignore_cleanup_errors=True
    ) as folder:
        copy = snapshot(path, Path(folder))
        try:
            with closing(open_copy(copy)) as connection:
                reading = _DatabaseReading(
                    connection,
                    path,
                    previous if isinstance(previous, Mapping) else {},
                    human_only,
                )
                reading.run()
        except sqlite3.Error as error:
            raise OSError(f"cannot read this OpenCode database: {error}") from error
    messages = reading.messages
    return ReadResult(
        messages=messages,
        state=ReadState(
            offset=size,
            size=size,
            mtime_ns=mtime_ns,
            position=(state.position if fresh else 0) + reading.consumed,
            last_message_id=messages[-1].message_id if messages else state.last_message_id,
            context={"v": CONTEXT_VERSION, "layout": "sqlite", "sessions": reading.sessions},
        ),
        skipped=reading.skipped,
    )


# --- the JSON store -----------------------------------------------------------------------------


def _json_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".json" and not p.name.startswith("."))


def _read_store(path: Path, state: ReadState, human_only: bool) -> ReadResult:
    """A session of the JSON store: its session file, message files and part files."""
    context = state.context
    fresh = context.get("v") == CONTEXT_VERSION and context.get("layout") == "json"
    reported_before = context.get("reported") if fresh else None
    reported = set(reported_before) if isinstance(reported_before, list) else set()
    skipped: list[Skipped] = []

    def skip(file: Path, reason: str) -> None:
        if file.name not in reported:
            reported.add(file.name)
            skipped.append(Skipped(str(file), reason))

    try:
        session = _object(read_whole_file(path))
    except ValueError as error:
        skip(path, f"malformed session file ({error})")
        return ReadResult(messages=[], state=state, skipped=skipped)
    storage = path.parent.parent.parent
    session_id = path.stem
    child = bool(session.get("parentID"))

    infos: list[tuple[Any, str, dict[str, Any]]] = []
    for file in _json_files(storage / "message" / session_id):
        try:
            info = _object(file.read_bytes())
        except FileNotFoundError:
            continue  # removed meanwhile (a revert)
        except ValueError as error:
            skip(file, f"malformed message file ({error})")
            continue
        infos.append((_created(info) or 0, str(info.get("id") or file.stem), info))
    infos.sort(key=lambda item: (item[0], item[1]))
    records = len(infos)
    if infos and not settled(infos[-1][2], last=True):
        records -= 1

    project: str | None = None
    resolved = False
    messages: list[Message] = []
    for index in range(records):
        created, message_id, info = infos[index]
        role = info.get("role")
        if role != "user" and (human_only or role != "assistant"):
            continue
        for file in _json_files(storage / "part" / message_id):
            try:
                part = _object(file.read_bytes())
            except FileNotFoundError:
                continue
            except ValueError as error:
                skip(file, f"malformed part file ({error})")
                continue
            found = part_message(part, role, child, human_only)
            if found is None:
                continue
            if not resolved:
                project, resolved = _store_project(session, storage), True
            author, text = found
            part_id = part.get("id")
            messages.append(
                Message(
                    tool=TOOL,
                    author=author,
                    text=text,
                    path=str(path),
                    index=index,
                    message_id=part_id if isinstance(part_id, str) else file.stem,
                    session_id=session_id,
                    timestamp=parse_time(created) if created else None,
                    project=project,
                )
            )
    return resume_whole(
        path,
        state if fresh else ReadState(),
        messages,
        records,
        skipped=skipped,
        context={"v": CONTEXT_VERSION, "layout": "json", "reported": sorted(reported)},
    )


def _store_project(session: Mapping[str, Any], storage: Path) -> str | None:
    worktree: object = None
    project_id = session.get("projectID")
    if isinstance(project_id, str) and project_id and "/" not in project_id:
        with suppress(OSError, ValueError):
            worktree = _object((storage / "project" / f"{project_id}.json").read_bytes()).get(
                "worktree"
            )
    return _project(session.get("directory"), worktree)


# --- the source ---------------------------------------------------------------------------------


def data_dir(env: Mapping[str, str], home: Path) -> Path:
    """OpenCode's data folder: xdg-basedir's `xdgData`, whatever the OS."""
    configured = env.get("XDG_DATA_HOME", "").strip()
    base = Path(configured).expanduser() if configured else home / ".local" / "share"
    return base / "opencode"


def _session_of_part(part: Path) -> str | None:
    """The `sessionID` a part file names, if it can be read."""
    try:
        data = json.loads(part.read_bytes())
    except (OSError, ValueError):
        return None
    session_id = data.get("sessionID") if isinstance(data, dict) else None
    return session_id if isinstance(session_id, str) and "/" not in session_id else None


def is_store_session(path: Path) -> bool:
    """`storage/session/<projectID>/<sessionID>.json` (not the 0.x `session/info/` copies)."""
    return (
        path.suffix == ".json"
        and path.parent.parent.name == "session"
        and path.parent.parent.parent.name == "storage"
        and path.parent.name != "info"
    )


class OpenCodeSource(Source):
    """OpenCode's sessions, from `opencode.db` or from the JSON store before it."""

    tool: ClassVar[str] = TOOL
    label: ClassVar[str] = "OpenCode"

    def roots(self, env: Mapping[str, str], home: Path, system: str) -> list[Path]:
        base = data_dir(env, home)
        roots = [base / "opencode.db", base / "storage" / "session"]
        named = env.get("OPENCODE_DB", "").strip()
        if named and named != ":memory:":
            custom = Path(named).expanduser()
            roots.append(custom if custom.is_absolute() else base / custom)
        if base.is_dir():
            roots += sorted(p for p in base.glob("opencode-*.db") if DB_NAME.fullmatch(p.name))
        return list(dict.fromkeys(roots))

    def is_transcript(self, path: Path) -> bool:
        return bool(DB_NAME.fullmatch(path.name)) or is_store_session(path)

    min_interval: ClassVar[float] = 2.0  # a read of opencode.db copies the database

    def transcript_for(self, changed: Path) -> Path | None:
        """The database for its `-wal`; in the JSON store, the session a message or part is of."""
        if DB_NAME.fullmatch(changed.name.removesuffix("-wal")):
            return changed.with_name(changed.name.removesuffix("-wal"))
        if self.is_transcript(changed):
            return changed
        if changed.suffix != ".json" or changed.parent.parent.parent.name != "storage":
            return None
        storage = changed.parent.parent.parent
        session_id: str | None
        if changed.parent.parent.name == "message":  # message/<sessionID>/<messageID>.json
            session_id = changed.parent.name
        elif changed.parent.parent.name == "part":  # part/<messageID>/<partID>.json
            session_id = _session_of_part(changed)
        else:
            return None
        if session_id is None:
            return None
        return next((storage / "session").glob(f"*/{session_id}.json"), None)

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.startswith(SQLITE_HEADER):
            return bool(DB_NAME.fullmatch(path.name))
        if path.suffix != ".json" or not head.lstrip().startswith(b"{"):
            return False
        return b'"ses_' in head and b'"projectID"' in head and b'"directory"' in head

    def read(self, path: Path, state: ReadState, *, human_only: bool = False) -> ReadResult:
        if path.suffix == ".json":
            return _read_store(path, state, human_only)
        return _read_database(path, state, human_only)
