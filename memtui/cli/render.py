"""Plain-text rendering of memories for the terminal: tables, one-liners, details."""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from memtui.core.models import MANUAL_TOOL, Status
from memtui.core.records import EvidenceRecord, MemoryDetail, MemoryRecord
from memtui.extract.steering import visible

if TYPE_CHECKING:
    from pathlib import Path

    from memtui.services.diagnose import DoctorReport
    from memtui.services.ingest import FileResult, ScanSummary
    from memtui.services.sources_report import RootReport

UNBOUNDED = 10_000


def terminal_width() -> int:
    """Columns to fit a table in: the terminal's width, or no limit when piped."""
    if not sys.stdout.isatty():
        return UNBOUNDED
    return shutil.get_terminal_size((100, 24)).columns


def age(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, in the largest whole unit: `45s`, `3m`, `5h`, `2d`, `7w`."""
    seconds = max(0, int(((now or datetime.now(UTC)) - moment).total_seconds()))
    for unit, size in (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def clip(text: str, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: max(0, width - 1)] + "…"


def project_name(memory: MemoryRecord) -> str:
    """Short name of where a memory applies."""
    if memory.scope.value == "global":
        return "global"
    return (memory.project or "").rstrip("/").rsplit("/", 1)[-1] or "-"


def table(memories: Sequence[MemoryRecord], *, width: int, now: datetime | None = None) -> str:
    """Memories as aligned columns, the text last and clipped to `width`."""
    rows = [
        (
            f"#{m.id}",
            m.kind.value,
            m.status.value + (" (locked)" if m.locked else "") + (" (flagged)" if m.flags else ""),
            str(m.seen),
            f"{m.confidence:.2f}",
            age(m.created_at, now),
            project_name(m),
            visible(m.text),
        )
        for m in memories
    ]
    header = ("ID", "KIND", "STATUS", "SEEN", "CONF", "AGE", "SCOPE", "TEXT")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    used = sum(widths) + 2 * len(widths)
    lines = []
    for row in [header, *rows]:
        cells = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
        lines.append(f"{cells}  {clip(row[-1], max(20, width - used))}".rstrip())
    return "\n".join(lines)


def summary(memory: MemoryRecord) -> str:
    """One line naming a memory: id, text, kind and scope."""
    where = "global" if memory.scope.value == "global" else f"project {memory.project}"
    return f"#{memory.id}: {memory.text}  ({memory.kind.value}, {where})"


def locator(evidence: EvidenceRecord) -> str:
    """Where a piece of evidence is: `file:line`, `file[index]`, or how it came."""
    if evidence.path is None:
        return "added by hand" if evidence.tool == MANUAL_TOOL else "no file"
    if evidence.line is not None:
        return f"{evidence.path}:{evidence.line}"
    if evidence.index is not None:
        return f"{evidence.path}[{evidence.index}]"
    return evidence.path


def stamp(moment: datetime | None) -> str:
    """A timestamp in local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else "-"


def detail(info: MemoryDetail) -> str:
    """Everything about one memory, for `memtui show`."""
    m = info.memory
    flags = [m.kind.value, m.status.value, "global" if m.scope.value == "global" else "project"]
    if m.locked:
        flags.append("locked")
    lines = [f"#{m.id}  {' · '.join(flags)}  confidence {m.confidence:.2f}  seen {m.seen}"]
    lines += [visible(m.text), ""]
    if m.flags:
        lines.append(f"FLAGGED   {', '.join(m.flags)}: this text may try to steer agents; read it")
        lines.append("          before confirming (memtui confirm --accept-flags)")
    if m.redactions:
        lines.append(f"redacted  {m.redactions} secret(s) removed before storing")
    if m.project:
        lines.append(f"project   {m.project}")
    lines.append(f"created   {stamp(m.created_at)}    updated {stamp(m.updated_at)}")
    if m.supersedes:
        lines.append("replaces  " + ", ".join(f"#{i}" for i in m.supersedes))
    if m.superseded_by is not None:
        lines.append(f"replaced by #{m.superseded_by}")

    lines += ["", f"Evidence ({len(m.evidence)})"]
    for e in m.evidence:
        extra = f"  session {e.session_id}" if e.session_id else ""
        rule = f"  [{e.rule} {e.confidence:.2f}]" if e.rule else ""
        lines.append(f"  {stamp(e.timestamp or e.created_at)}  {e.tool}  {locator(e)}{extra}")
        lines.append(f"    “{clip(visible(e.quote), 200)}”{rule}")

    if info.lineage:
        lines += ["", "Lineage (oldest first)"]
        for link in info.lineage:
            arrow = f" → #{link.superseded_by}" if link.superseded_by else ""
            mark = "▸" if link.id == m.id else " "
            lines.append(f" {mark} #{link.id} {link.status.value}{arrow}: {clip(link.text, 80)}")

    for title, found in (("Similar to", info.similar), ("May replace", info.may_replace)):
        if found:
            lines += ["", f"{title} (confirmed beliefs)"]
            lines += [f"  #{r.id} ({r.score:.0f}%): {clip(r.text, 90)}" for r in found]
    if info.may_replace:
        first = info.may_replace[0].id
        lines.append(f"  (to replace it: memtui supersede {m.id} --replaces {first})")

    if len(info.revisions) > 1:
        lines += ["", "Revisions"]
        for r in info.revisions:
            lines.append(f"  {r.number}. {stamp(r.created_at)}  {r.kind.value}  {r.text}")

    lines += ["", "Events"]
    for ev in info.events:
        lines.append(
            f"  {stamp(ev.created_at)}  {ev.action.value:<11} by {ev.actor} ({ev.command})"
        )
    return "\n".join(lines)


def overview(counts: Mapping[Status, int], database: str) -> str:
    """`memtui status`: the counts and what to do next."""
    pending, confirmed = counts[Status.PENDING], counts[Status.CONFIRMED]
    lines = [
        f"memtui: {pending} candidate(s) waiting, {confirmed} belief(s)   [{database}]",
        "",
        "  memtui                          review them in the app",
        "  memtui inbox                    list the candidates",
        "  memtui confirm ID / reject ID   decide on one",
        "  memtui beliefs                  list your beliefs",
        '  memtui add "TEXT" --kind rule   add a belief of your own',
        "  memtui --help                   every command",
    ]
    return "\n".join(lines)


def demo_summary(
    folder: Path,
    url: str,
    transcripts: int,
    tools: Sequence[str],
    projects: int,
    counts: Mapping[Status, int],
) -> str:
    """What `memtui demo` built, and how to point the other commands at it."""
    db = f"--db {shlex.quote(url)}"
    decided = ", ".join(
        f"{counts[s]} {s.value}" for s in (Status.CONFIRMED, Status.SUPERSEDED, Status.REJECTED)
    )
    watched = " ".join(shlex.quote(str(folder / name)) for name in ("transcripts", "projects"))
    lines = [
        f"Demo built in {folder}",
        f"  {transcripts} transcripts of {', '.join(tools)}, in {projects} projects",
        f"  {counts[Status.PENDING]} candidates waiting; earlier triage: {decided}",
        "",
        "Point the other commands at its store with --db:",
        f"  memtui inbox {db}",
        f"  memtui show ID {db}",
        f"  memtui beliefs --status all {db}",
        f"  memtui watch {db} {watched}",
    ]
    return "\n".join(lines)


def doctor(report: DoctorReport) -> str:
    """The doctor's findings, one per line."""
    config = report.config_path + ("" if report.config_exists else "  (not present: defaults)")
    if report.database_file is not None and report.revision is None and not report.problems:
        state = "not created yet: memtui creates it on first use"
    elif report.revision == report.head:
        state = f"{report.revision} (up to date)"
    else:
        state = f"{report.revision or 'none'} (this memtui expects {report.head})"
    lines = [
        f"memtui    {report.version}  (Python {report.python})",
        f"config    {config}",
        f"data      {report.data_dir}",
        f"database  {report.database}  (from {report.database_origin})",
        f"revision  {state}",
    ]
    lines.append(f"extractor {report.extractor}")
    if report.counts is not None:
        counts = ", ".join(f"{n} {status.value}" for status, n in report.counts.items())
        lines.append(f"memories  {counts}")
    for tool, path, exists, found in report.roots:
        if exists:
            lines.append(f"source    {tool:<12} {path}  ({found} transcript(s))")
    absent = sorted({t for t, _, e, _ in report.roots} - {t for t, _, e, _ in report.roots if e})
    if absent:
        lines.append(f"source    not found here: {', '.join(absent)}")
    for project in report.exports:
        origin = "configured" if project.origin == "config" else "default"
        lines.append(
            f"project   {project.project}  targets: {', '.join(project.targets)} ({origin})"
        )
        for targets, path, state in project.files:
            lines.append(f"  {targets:<10} {path}  {state}")
    lines += [f"problem   {p}" for p in report.problems]
    lines.append("All good." if report.healthy else "Something needs attention (see above).")
    return "\n".join(lines)


def megabytes(size: int) -> str:
    """A byte count for people."""
    return f"{size / 2**20:.1f} MB" if size >= 100_000 else f"{size / 1024:.0f} KB"


def scan_summary(summary: ScanSummary, *, shown_skips: int = 10) -> str:
    """What a scan did, then what it could not read."""
    lines = [
        f"Scanned {summary.files} file(s), {megabytes(summary.bytes_read)} new: "
        f"{summary.messages} message(s), {summary.human} from you. "
        f"{summary.created} new candidate(s), {summary.merged} merged into known memories"
        + (f", {summary.suppressed} rejected before" if summary.suppressed else "")
        + (f", {summary.already} already recorded" if summary.already else "")
        + "."
    ]
    if summary.restarted:
        lines.append(f"{summary.restarted} file(s) had changed from the start and were re-read.")
    if summary.skipped:
        lines.append(f"Skipped {len(summary.skipped)} malformed record(s):")
        lines += [f"  {s.where()}  {s.reason}" for s in summary.skipped[:shown_skips]]
        if len(summary.skipped) > shown_skips:
            lines.append(f"  ... and {len(summary.skipped) - shown_skips} more")
    if summary.errors:
        lines.append(f"Could not read {len(summary.errors)} file(s):")
        lines += [f"  {path}: {error}" for path, error in summary.errors]
    return "\n".join(lines)


def scan_json(summary: ScanSummary) -> dict[str, object]:
    """A scan's summary for scripts."""
    return {
        "files": summary.files,
        "bytes": summary.bytes_read,
        "messages": summary.messages,
        "human_messages": summary.human,
        "created": summary.created,
        "merged": summary.merged,
        "suppressed": summary.suppressed,
        "already_recorded": summary.already,
        "restarted": summary.restarted,
        "skipped": [
            {"path": s.path, "line": s.line, "index": s.index, "reason": s.reason}
            for s in summary.skipped
        ],
        "errors": [{"path": path, "error": error} for path, error in summary.errors],
    }


def file_line(result: FileResult) -> str:
    """One file's news, for `memtui watch`."""
    parts = [f"{result.created} new candidate(s)"] if result.created else []
    if result.merged:
        parts.append(f"{result.merged} merged")
    if result.skipped:
        parts.append(f"{len(result.skipped)} malformed record(s) skipped")
    return f"{result.tool}  {result.path}: {', '.join(parts)}"


def sources(report: Sequence[RootReport], *, home: Path, every: bool = False) -> str:
    """Where memtui looks, tool by tool: the places found (all of them with `every`)."""
    shown = [e for e in report if every or e.exists]
    lines = [f"{'TOOL':<12} {'FILES':>6} {'READ':>6} {'MESSAGES':>9}  WHERE"]
    for entry in shown:
        where = entry.path.replace(str(home), "~", 1)
        if not entry.exists:
            where += "  (not there)"
        elif entry.origin != "default":
            where += f"  ({entry.origin})"
        if entry.skipped:
            where += f"  [{entry.skipped} skipped]"
        lines.append(
            f"{entry.tool:<12} {entry.files:>6} {entry.read:>6} {entry.messages:>9}  {where}"
        )
    if not shown:
        lines = ["No agent transcripts found on this machine."]
    found = {e.tool for e in report if e.exists}
    missing = sorted({e.tool for e in report} - found)
    if missing and not every:
        lines.append(
            f"Not found here: {', '.join(missing)}  (`memtui sources --all` lists every place "
            "looked; add others as [[sources.roots]] in the config file)"
        )
    return "\n".join(lines)
