"""History: the event log as a timeline, what was believed at a past moment, and reverting one
past change. Everything is read from, or written to, the append-only event log that curation
keeps (services.curate); reverting reuses curation's undo machinery.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from memtui.core.errors import InvalidInputError, InvalidStateError, NotFoundError
from memtui.core.models import Action, Kind, Scope, Status
from memtui.core.records import EventRecord, OperationReverted, PastBelief
from memtui.services.curate import USER, Tx, changed_fields, revert_operation
from memtui.store.database import Database
from memtui.store.models import Event, Operation

_EVENT_COLUMNS = (
    Event.id,
    Event.operation_id,
    Event.memory_id,
    Event.action,
    Operation.actor,
    Operation.command,
    Event.before,
    Event.after,
    Event.created_at,
)


def timeline(
    db: Database,
    *,
    memory_id: int | None = None,
    project: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[EventRecord]:
    """Events of the log, newest first, filtered by memory, project root and time span.

    `since` and `until` are inclusive. A project selects the events whose memory belonged to
    it before or after the change.
    """
    if since is not None and until is not None and since > until:
        raise InvalidInputError("the start of the time span is after its end")
    conditions: list[ColumnElement[bool]] = []
    if memory_id is not None:
        conditions.append(Event.memory_id == memory_id)
    if project is not None:
        conditions.append(
            or_(
                Event.after["project"].as_string() == project,
                Event.before["project"].as_string() == project,
            )
        )
    if since is not None:
        conditions.append(Event.created_at >= since)
    if until is not None:
        conditions.append(Event.created_at <= until)
    query = (
        select(*_EVENT_COLUMNS)
        .join(Operation, Operation.id == Event.operation_id)
        .where(*conditions)
        .order_by(Event.id.desc())
        .limit(limit)
    )
    with db.read() as session:
        return [EventRecord(*row) for row in session.execute(query)]


def as_of(db: Database, moment: datetime, *, project: str | None = None) -> list[PastBelief]:
    """What was believed at `moment`: the memories confirmed then, as they read then.

    Rebuilt from the event log alone: each memory's last event up to that moment tells its
    state (a memory whose creation was undone has none). With a project, what applied there:
    its beliefs and the global ones. Newest change first.
    """
    if moment.tzinfo is None:
        raise InvalidInputError("a moment in history needs its time zone")
    last = (
        select(func.max(Event.id).label("id"))
        .where(Event.created_at <= moment, Event.memory_id.is_not(None))
        .group_by(Event.memory_id)
        .subquery()
    )
    query = select(Event.memory_id, Event.after, Event.created_at).join(last, Event.id == last.c.id)
    found: list[PastBelief] = []
    with db.read() as session:
        for memory_id, after, created_at in session.execute(query):
            if after is None or after.get("status") != Status.CONFIRMED.value:
                continue
            scope = Scope(after["scope"])
            if project is not None and scope != Scope.GLOBAL and after.get("project") != project:
                continue
            found.append(
                PastBelief(
                    id=memory_id,
                    text=after["text"],
                    kind=Kind(after["kind"]),
                    status=Status.CONFIRMED,
                    scope=scope,
                    project=after.get("project"),
                    locked=bool(after.get("locked", False)),
                    since=created_at,
                )
            )
    found.sort(key=lambda b: (b.since, b.id), reverse=True)
    return found


def revert(
    db: Database,
    *,
    event_id: int | None = None,
    operation_id: int | None = None,
    actor: str = USER,
) -> OperationReverted:
    """Undo one past action, named by one of its events or by its operation, as a new action.

    The whole action is reverted (a supersession puts back both memories). It is refused when
    a memory it touched was changed again since (edited, confirmed, retired, locked...):
    revert the later change first. New evidence merged since is kept. The revert is logged
    and is not itself revertible: the action can be taken again instead.
    """
    if (event_id is None) == (operation_id is None):
        raise InvalidInputError("revert needs an event id or an operation id")
    with db.write() as session:
        if event_id is not None:
            event = session.get(Event, event_id)
            if event is None:
                raise NotFoundError(f"no event with id {event_id}")
            operation_id = event.operation_id
            name = f"event #{event_id}"
        else:
            name = f"operation #{operation_id}"
        target = session.get(Operation, operation_id)
        if target is None:
            raise NotFoundError(f"no operation with id {operation_id}")
        _check_revertible(session, target, name)
        tx = Tx(session, "revert", actor, undoable=False)
        touched = revert_operation(tx, target)
        return OperationReverted(target.id, target.command, touched, tx.operation.id)


def _check_revertible(session: Session, target: Operation, name: str) -> None:
    """Refuse a revert that would undo an undo, repeat one, or overwrite a later change."""
    what = f"{name} ({target.command})"
    exported = session.scalar(
        select(Event.id).where(Event.operation_id == target.id, Event.action == Action.EXPORTED)
    )
    if exported is not None:
        raise InvalidStateError(
            f"cannot revert {what}: an export changed rules files, not memories; "
            "`memtui export --revert` puts the files back"
        )
    if target.undoes_id is not None:
        raise InvalidStateError(
            f"cannot revert {what}: it undid operation #{target.undoes_id}; "
            "take that action again instead"
        )
    done = session.scalar(select(Operation).where(Operation.undoes_id == target.id))
    if done is not None:
        raise InvalidStateError(
            f"cannot revert {what}: {done.command} (operation #{done.id}) reverted it already"
        )
    events = session.scalars(
        select(Event).where(Event.operation_id == target.id).order_by(Event.id)
    ).all()
    if not events:
        raise InvalidStateError(f"cannot revert {what}: it changed no memory")
    last_id = events[-1].id
    for event in events:
        changed = changed_fields(event.before, event.after)
        later = session.scalars(
            select(Event)
            .where(Event.memory_id == event.memory_id, Event.id > last_id)
            .order_by(Event.id)
        ).all()
        for newer in later:
            since = changed_fields(newer.before, newer.after)
            # New evidence raising the confidence is no conflict, unless this set it too.
            if changed & since or since - {"confidence"}:
                raise InvalidStateError(
                    f"cannot revert {what}: memory #{event.memory_id} was changed since "
                    f"(event #{newer.id}, {newer.action.value} at "
                    f"{newer.created_at:%Y-%m-%d %H:%M} UTC); revert that first"
                )
