"""`memtui search`, `memtui history` and `memtui revert`.

`history` and `revert` load neither rapidfuzz nor Textual; `search` loads rapidfuzz when it
runs, through the search index the app uses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from memtui.cli import render
from memtui.cli.output import emit_json, stream_json_list
from memtui.core.errors import InvalidInputError
from memtui.core.models import Action, Kind, Status, parse_kind, parse_status
from memtui.core.records import EventRecord, PastBelief, SearchHit
from memtui.services import history as history_service
from memtui.store import Database

Handler = Callable[[argparse.Namespace, Database], int]


def parse_moment(value: str, *, end_of_day: bool = False) -> datetime:
    """A date or a date and time, in local time unless it names its offset.

    A day alone means its start, or its end with `end_of_day` (`--until`, `--as-of`).
    """
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.max if end_of_day else time.min)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            f"not a date: {value!r}; write YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def _names(values: Sequence[str] | None) -> list[str]:
    return [n.strip() for value in values or [] for n in value.split(",") if n.strip()]


def search(args: argparse.Namespace, database: Database) -> int:
    from memtui.cli.commands import project_filter
    from memtui.services.search import SearchFilters, SearchIndex

    statuses: frozenset[Status] | None = frozenset({Status.CONFIRMED})
    names = _names(args.status)
    if any(n.lower() == "all" for n in names):
        statuses = None
    elif names:
        statuses = frozenset(parse_status(n) for n in names)
    kinds: frozenset[Kind] | None = None
    if args.kind:
        kinds = frozenset(parse_kind(n) for n in _names(args.kind))
    if not args.query.strip():
        raise InvalidInputError("the search query is empty")
    filters = SearchFilters(statuses=statuses, kinds=kinds, project=project_filter(args.project))
    hits = SearchIndex.build(database).query(args.query, filters, args.limit)
    if args.json:
        stream_json_list(hit.to_json() for hit in hits)
    elif not hits:
        print(f"Nothing matches {args.query!r}.")
    else:
        print(hits_table(hits, width=render.terminal_width()))
    return 0


def hits_table(hits: Sequence[SearchHit], *, width: int) -> str:
    """Search hits as aligned columns, best first, the text last and clipped."""
    rows = [
        (
            f"#{h.memory.id}",
            f"{h.score:.0f}",
            h.memory.kind.value,
            h.memory.status.value + (" (locked)" if h.memory.locked else ""),
            "global"
            if h.memory.scope.value == "global"
            else (h.memory.project or "-").rstrip("/").rsplit("/", 1)[-1],
            h.memory.text,
        )
        for h in hits
    ]
    return _columns(("ID", "SCORE", "KIND", "STATUS", "SCOPE", "TEXT"), rows, width)


def history(args: argparse.Namespace, database: Database) -> int:
    from memtui.cli.commands import project_filter

    project = project_filter(args.project)
    if args.as_of is not None:
        if args.memory or args.since or args.until or args.limit:
            raise InvalidInputError("--as-of lists beliefs: give it alone, or with --project")
        moment = parse_moment(args.as_of, end_of_day=True)
        beliefs = history_service.as_of(database, moment, project=project)
        if args.json:
            stream_json_list(b.to_json() for b in beliefs)
        elif not beliefs:
            print(f"Nothing was believed on {render.stamp(moment)}.")
        else:
            print(past_table(beliefs, width=render.terminal_width()))
        return 0
    events = history_service.timeline(
        database,
        memory_id=args.memory,
        project=project,
        since=parse_moment(args.since) if args.since else None,
        until=parse_moment(args.until, end_of_day=True) if args.until else None,
        limit=args.limit,
    )
    if args.json:
        stream_json_list(e.to_json() for e in events)
    elif not events:
        print("No events.")
    else:
        print(events_table(events, width=render.terminal_width()))
    return 0


def events_table(events: Sequence[EventRecord], *, width: int) -> str:
    """The timeline: one event a line, newest first."""
    rows = [
        (
            f"#{e.id}",
            render.stamp(e.created_at),
            e.action.value,
            f"#{e.memory_id}" if e.memory_id is not None else "-",
            f"{e.command} by {e.actor}",
            _event_text(e),
        )
        for e in events
    ]
    return _columns(("EVENT", "WHEN", "ACTION", "MEMORY", "COMMAND", "TEXT"), rows, width)


def _event_text(event: EventRecord) -> str:
    """What the memory read after the event, and what changed."""
    before, after = event.before or {}, event.after or {}
    text = str(after.get("text") or before.get("text") or "")
    if event.action == Action.EXPORTED:
        return f"{text}  [written to {after.get('file', '?')}]"
    if before and after and before.get("text") != after.get("text"):
        return f"{before.get('text')} → {text}"
    changes = [
        f"{field} {before[field]} → {after[field]}"
        for field in ("status", "kind", "scope", "locked")
        if before and after and field in before and before[field] != after.get(field)
    ]
    return f"{text}  [{'; '.join(changes)}]" if changes else text


def past_table(beliefs: Sequence[PastBelief], *, width: int) -> str:
    """The beliefs held at a moment."""
    rows = [
        (
            f"#{b.id}",
            b.kind.value,
            "global" if b.scope.value == "global" else (b.project or "-").rsplit("/", 1)[-1],
            render.stamp(b.since),
            b.text + (" (locked)" if b.locked else ""),
        )
        for b in beliefs
    ]
    return _columns(("ID", "KIND", "SCOPE", "SINCE", "TEXT"), rows, width)


def _columns(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], width: int) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    used = sum(widths) + 2 * len(widths)
    lines = []
    for row in [header, *rows]:
        cells = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
        lines.append(f"{cells}  {render.clip(row[-1], max(20, width - used))}".rstrip())
    return "\n".join(lines)


def revert(args: argparse.Namespace, database: Database) -> int:
    result = history_service.revert(database, event_id=args.event)
    if args.json:
        emit_json(
            {
                "operation": result.operation_id,
                "command": result.command,
                "memory_ids": list(result.memory_ids),
                "revert_operation": result.revert_operation_id,
            }
        )
    else:
        ids = ", ".join(f"#{i}" for i in result.memory_ids)
        print(f"Reverted {result.command} (operation #{result.operation_id}) of {ids}")
    return 0


HANDLERS: dict[str, Handler] = {"search": search, "history": history, "revert": revert}
