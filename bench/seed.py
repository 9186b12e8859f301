"""Synthetic memtui stores for the benchmarks, written fast with SQLAlchemy Core.

`seed_store` migrates an empty database with memtui's own migrations, then bulk-inserts rows
shaped like the ones memtui's services write: projects, memories with their first revision,
evidence from the agents' transcripts, supersessions, and the operation log (each memory's
`propose` by ingest, its merges, and the curation that decided it). Everything but the
timestamps is a function of `seed`; the timeline ends at `now`.

Run it by hand to get a store to poke at:

    python -m bench.seed /tmp/memtui-100k.db --memories 100000
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Table, func, insert, select

from memtui.core.models import Action, Kind, Scope, Status, statement_key
from memtui.services.curate import combine_confidence
from memtui.store import upgrade
from memtui.store.database import make_engine
from memtui.store.models import (
    Event,
    Evidence,
    Memory,
    Operation,
    Project,
    Revision,
    Supersession,
)

Row = dict[str, Any]
T = TypeVar("T")

DEFAULT_PENDING_SHARE = 0.15
"""Share of memories still waiting in the inbox when the caller does not say."""
DECIDED_STATUSES: dict[Status, float] = {
    Status.CONFIRMED: 0.72,
    Status.REJECTED: 0.14,
    Status.SUPERSEDED: 0.07,
    Status.DEPRECATED: 0.07,
}
"""How the memories that are not pending split (weights)."""
KIND_WEIGHTS: dict[Kind, float] = {
    Kind.RULE: 0.34,
    Kind.PREFERENCE: 0.2,
    Kind.CORRECTION: 0.14,
    Kind.FACT: 0.12,
    Kind.DECISION: 0.1,
    Kind.PROCEDURE: 0.1,
}
GLOBAL_SHARE = 0.12
"""Share of memories that apply to every project."""
EVIDENCE_COUNTS = ((1, 0.55), (2, 0.3), (3, 0.15))
TOOLS = (("claude-code", 0.5), ("codex", 0.25), ("cline", 0.15), ("aider", 0.1))
HISTORY_DAYS = 365
"""The seeded memories were proposed over this many days before `now`."""
CHUNK = 5_000
"""Memories generated and inserted per batch; bounds the memory used by a big seed."""
MIN_WORDS, MAX_WORDS = 6, 20
DECIDES = {
    "confirm": Status.CONFIRMED,
    "reject": Status.REJECTED,
    "deprecate": Status.DEPRECATED,
}
"""The status each person's command leaves a memory in (supersede is handled apart)."""
SUCCESSOR_WINDOW = 400
"""How many of the beliefs confirmed after a superseded memory are considered to replace it."""

PROJECT_NAMES = (
    "web-app", "billing-service", "auth-gateway", "data-pipeline", "mobile-client",
    "admin-dashboard", "search-indexer", "notification-hub", "infra", "design-system",
    "payments-api", "docs-site", "ml-experiments", "cli-tools", "analytics-etl",
    "inventory-service", "chat-backend", "monorepo", "ops-scripts", "shared-libs",
)  # fmt: skip
AREAS = (
    "web package", "api service", "billing module", "auth middleware", "CLI", "docs site",
    "mobile app", "data pipeline", "admin dashboard", "worker queue", "payments service",
    "search indexer", "infra repo", "shared utils", "frontend", "backend", "test suite",
    "migration scripts", "design system", "notification service", "ui package",
    "orders service", "core library", "scripts folder", "e2e tests", "GraphQL layer",
)  # fmt: skip
ALTERNATIVES = (
    ("pnpm", "npm", "yarn", "bun"),
    ("pytest", "unittest", "nose"),
    ("vitest", "jest", "mocha"),
    ("ruff", "black", "flake8", "pylint"),
    ("httpx", "requests", "aiohttp"),
    ("uv", "pip", "poetry", "pipenv"),
    ("pydantic models", "plain dicts", "dataclasses"),
    ("zod", "yup", "io-ts"),
    ("Tailwind classes", "inline styles", "CSS modules"),
    ("structlog", "the logging module", "print statements"),
    ("SQLAlchemy Core", "raw SQL strings", "the Django ORM"),
    ("pathlib", "os.path", "string concatenation"),
    ("tsx", "ts-node", "babel-node"),
    ("docker compose", "docker-compose", "podman"),
    ("ripgrep", "grep", "ack"),
)
CHECKS = (
    "make lint", "pnpm test", "pytest -q", "ruff check .", "mypy --strict", "cargo clippy",
    "go vet ./...", "pre-commit run --all-files", "npm run typecheck", "tox -e py311",
    "just check", "./scripts/verify.sh",
)  # fmt: skip
MOMENTS = (
    "pushing to main", "opening a pull request", "committing", "tagging a release",
    "asking for review", "merging a migration", "deploying to staging",
)  # fmt: skip
BAD_ACTIONS = (
    ("edit generated files", "regenerate them with make codegen"),
    ("commit .env files", "load secrets from the vault"),
    ("add print debugging", "use the structured logger"),
    ("bump dependencies by hand", "let Renovate open the pull request"),
    ("write raw SQL in handlers", "add a query to the repository module"),
    ("catch bare exceptions", "catch the specific error you expect"),
    ("use default exports", "use named exports"),
    ("mock the database", "use the transactional test fixture"),
    ("force push shared branches", "rebase locally and open a new branch"),
    ("hardcode URLs", "read them from settings"),
    ("skip the changelog", "add an entry under Unreleased"),
    ("use any in TypeScript", "write a proper type or unknown"),
)
STYLES = (
    ("early returns", "nested conditionals"),
    ("small pure functions", "large classes"),
    ("composition", "inheritance"),
    ("f-strings", "percent formatting"),
    ("async functions", "callbacks"),
    ("explicit types", "inferred any"),
    ("table-driven tests", "copy-pasted test cases"),
    ("descriptive names", "abbreviations"),
    ("one component per file", "barrel files"),
    ("immutable data", "in-place mutation"),
)
SERVICES = (
    "Postgres", "Redis", "the billing API", "S3", "Kafka", "the auth service", "Stripe",
    "Elasticsearch", "RabbitMQ", "the feature flag service",
)  # fmt: skip
MECHANISMS = (
    "a connection pool", "the internal SDK", "gRPC", "signed webhooks", "a read replica",
    "the message bus", "REST with retries",
)  # fmt: skip
PLATFORMS = ("Fly.io", "Kubernetes", "Vercel", "ECS", "Cloud Run", "a bare VM")
BRANCHES = ("main", "release", "production", "deploy", "trunk")
DECISIONS = (
    "keep a single Postgres schema", "drop Python 3.10 support", "move to trunk-based development",
    "store money as integer cents", "use UUIDv7 primary keys", "vendor the protobuf files",
    "serve images from the CDN", "pin Node to the LTS release", "adopt OpenTelemetry tracing",
    "write ADRs for schema changes", "run migrations in a separate job",
    "squash commits when merging", "keep feature flags for two releases at most",
    "log in JSON everywhere", "use semantic versioning for internal packages",
    "move cron jobs to the task queue", "require two approvals for infra changes",
    "generate types from the OpenAPI spec", "retire the v1 endpoints",
    "cache responses at the edge",
)  # fmt: skip
WE_DECIDED = ("We decided to", "We agreed to", "Going forward we will", "The team chose to")
FOLLOW_UPS = (
    "update the commands", "fix the docs", "the README is stale", "check the imports",
    "adjust the CI job", "the old name still appears in scripts",
)  # fmt: skip
ENVIRONMENTS = ("", "", " in production", " in staging", " in local dev", " in CI")
CADENCES = ("", "", " on every merge", " every night", " on Tuesdays", " after QA signs off")
GOALS = (
    "reset the local database", "regenerate the API client", "update the snapshots",
    "cut a release", "reproduce the flaky test", "rebuild the search index",
    "refresh the fixtures", "rotate the dev certificates",
)  # fmt: skip
DIRS = (
    "src/lib", "packages/core", "app/models", "internal/store", "tests/fixtures", "scripts",
    "config", "docs/adr", "services/worker", "web/components",
)  # fmt: skip
THINGS = (
    "the config loader", "the retry helper", "the feature flag config", "the migration runner",
    "the date helper", "the API client", "the seed script", "the errors module",
)  # fmt: skip
REASONS = (
    "", "", "", "because CI enforces it", "since the lockfile is committed",
    "so reviews stay small", "to keep builds reproducible", "as agreed in the last retro",
    "because the old way broke staging", "since the team standardised on it",
    "to match the rest of the monorepo", "because it is much faster here",
)  # fmt: skip
QUOTE_PREFIXES = (
    "", "", "no, ", "please remember: ", "from now on, ", "actually, ", "quick note: ",
    "I told you before: ", "stop doing that. ", "fyi ",
)  # fmt: skip
QUOTE_SUFFIXES = ("", "", "", " thanks", " ok?", " (this keeps coming up)", " please")
RULES: dict[Kind, tuple[str, ...]] = {
    Kind.RULE: ("imperative-always-never", "use-x-not-y", "must-should"),
    Kind.PREFERENCE: ("prefer-x-over-y", "i-like-style"),
    Kind.CORRECTION: ("correction-no-not", "actually-it-is"),
    Kind.FACT: ("declarative-fact", "lives-in-path"),
    Kind.DECISION: ("we-decided", "going-forward"),
    Kind.PROCEDURE: ("to-x-run-y", "steps-then"),
}


class Weighted(Generic[T]):
    """A fixed population with fixed weights: `random.choices` without its per-call setup."""

    def __init__(self, weighted: Iterable[tuple[T, float]]) -> None:
        pairs = list(weighted)
        self.items = [item for item, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> T:
        """One item, drawn with probability proportional to its weight."""
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


KIND_PICK = Weighted(KIND_WEIGHTS.items())
STATUS_PICK = Weighted(DECIDED_STATUSES.items())
EVIDENCE_COUNT_PICK = Weighted(EVIDENCE_COUNTS)
TOOL_PICK = Weighted(TOOLS)


def _reason(rng: random.Random) -> str:
    reason = rng.choice(REASONS)
    return f", {reason}" if reason else ""


def _rule(rng: random.Random) -> str:
    form = rng.randrange(3)
    if form == 0:
        new, old = rng.sample(rng.choice(ALTERNATIVES), 2)
        return f"Use {new}, not {old}, in the {rng.choice(AREAS)}{_reason(rng)}"
    if form == 1:
        return f"Always run {rng.choice(CHECKS)} before {rng.choice(MOMENTS)}{_reason(rng)}"
    bad, instead = rng.choice(BAD_ACTIONS)
    return f"Never {bad} in the {rng.choice(AREAS)}; {instead} instead"


def _preference(rng: random.Random) -> str:
    if rng.random() < 0.7:
        better, worse = rng.choice(STYLES)
        return f"Prefer {better} over {worse} in the {rng.choice(AREAS)}{_reason(rng)}"
    return (
        f"Keep functions in the {rng.choice(AREAS)} under {rng.choice((30, 40, 50, 80))} lines"
        f"{_reason(rng)}"
    )


def _correction(rng: random.Random) -> str:
    if rng.random() < 0.5:
        here, there = rng.sample(DIRS, 2)
        return f"No, {rng.choice(THINGS)} lives in {here}, not in {there}{_reason(rng)}"
    new, old = rng.sample(rng.choice(ALTERNATIVES), 2)
    return f"The {rng.choice(AREAS)} uses {new} now, not {old}; {rng.choice(FOLLOW_UPS)}"


def _fact(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return (
            f"The {rng.choice(AREAS)} talks to {rng.choice(SERVICES)} "
            f"through {rng.choice(MECHANISMS)}{rng.choice(ENVIRONMENTS)}"
        )
    return (
        f"The {rng.choice(AREAS)} deploys to {rng.choice(PLATFORMS)} "
        f"from the {rng.choice(BRANCHES)} branch{rng.choice(CADENCES)}"
    )


def _decision(rng: random.Random) -> str:
    return (
        f"{rng.choice(WE_DECIDED)} {rng.choice(DECISIONS)} in the {rng.choice(AREAS)}{_reason(rng)}"
    )


def _procedure(rng: random.Random) -> str:
    first, then = rng.sample(CHECKS, 2)
    return f"To {rng.choice(GOALS)}, run {first} and then {then} in the {rng.choice(AREAS)}"


TEXTS: dict[Kind, Callable[[random.Random], str]] = {
    Kind.RULE: _rule,
    Kind.PREFERENCE: _preference,
    Kind.CORRECTION: _correction,
    Kind.FACT: _fact,
    Kind.DECISION: _decision,
    Kind.PROCEDURE: _procedure,
}


def statement(rng: random.Random, kind: Kind) -> str:
    """A developer rule of `kind`, 6 to 20 words, e.g. "Use pnpm, not npm, in the web package"."""
    while True:
        text = TEXTS[kind](rng)
        if MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            return text


@dataclass(slots=True)
class _Session:
    """One transcript file of one tool, which several evidence rows point into."""

    id: str
    path: str
    started: datetime
    lines: int = 0


@dataclass(slots=True)
class _Plan:
    """One memory as generated, before ids of its evidence and events are handed out."""

    id: int
    kind: Kind
    text: str
    status: Status
    scope: Scope
    project_id: int | None
    root: str | None
    created: datetime
    confidences: list[float]
    evidence_times: list[datetime]
    decisions: list[tuple[datetime, str, Action]] = field(default_factory=list)
    updated: datetime | None = None


@dataclass(slots=True)
class _Batch:
    """The rows of one chunk, in insertion order per table."""

    memories: list[Row] = field(default_factory=list)
    revisions: list[Row] = field(default_factory=list)
    evidence: list[Row] = field(default_factory=list)
    supersessions: list[Row] = field(default_factory=list)
    operations: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)


class _Seeder:
    """Generates the store chunk by chunk; every id is assigned here, in time order."""

    def __init__(self, memories: int, pending_share: float, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.total = memories
        self.pending_share = pending_share
        self.now = now
        self.start = now - timedelta(days=HISTORY_DAYS)
        self.roots = [f"/home/dev/src/{name}" for name in PROJECT_NAMES]
        # A few projects get most of the traffic, as on a real machine.
        self.project_pick = Weighted((n, 1 / n) for n in range(1, len(self.roots) + 1))
        self.seen: set[tuple[str, int | None]] = set()
        self.sessions: dict[tuple[str, str], list[_Session]] = {}
        self.next_evidence = self.next_operation = self.next_event = self.next_link = 1

    def uuid(self) -> str:
        """A random UUID drawn from the seeded generator (reproducible, unlike uuid4)."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def created_at(self, index: int) -> datetime:
        """When memory `index` (0-based) was proposed: increasing with the index."""
        offset = (index + self.rng.random()) / self.total
        return self.start + (self.now - self.start) * offset

    def later(self, after: datetime, before: datetime) -> datetime:
        """A moment between two others, usually nearer the first."""
        return after + (before - after) * (self.rng.random() ** 2)

    def project_rows(self) -> list[Row]:
        """The projects table: one row per root, known since the start of the history."""
        return [
            {"id": number, "root": root, "created_at": self.start}
            for number, root in enumerate(self.roots, start=1)
        ]

    def plan(self, index: int, created: datetime, chunk_end: datetime) -> _Plan:
        """Everything random about one memory: wording, status, project, evidence, timing."""
        rng = self.rng
        kind = KIND_PICK.pick(rng)
        status = Status.PENDING if rng.random() < self.pending_share else STATUS_PICK.pick(rng)
        scope = Scope.GLOBAL if rng.random() < GLOBAL_SHARE else Scope.PROJECT
        project_id: int | None = None
        if scope == Scope.PROJECT:
            project_id = self.project_pick.pick(rng)
        text = self.unique_statement(kind, project_id)
        count = EVIDENCE_COUNT_PICK.pick(rng)
        # Moments after the proposal: the later sightings, then up to two decisions.
        steps = sorted(self.later(created, chunk_end) for _ in range(count - 1 + 2))
        plan = _Plan(
            id=index + 1,
            kind=kind,
            text=text,
            status=status,
            scope=scope,
            project_id=project_id,
            root=self.roots[project_id - 1] if project_id is not None else None,
            created=created,
            confidences=[round(rng.uniform(0.35, 0.9), 2) for _ in range(count)],
            evidence_times=[created, *steps[: count - 1]],
        )
        decide_at = steps[count - 1]
        if status in (Status.CONFIRMED, Status.SUPERSEDED, Status.DEPRECATED):
            plan.decisions.append((decide_at, "confirm", Action.CONFIRMED))
        if status == Status.REJECTED:
            plan.decisions.append((decide_at, "reject", Action.REJECTED))
        if status == Status.DEPRECATED:
            plan.decisions.append((steps[count], "deprecate", Action.DEPRECATED))
        return plan

    def unique_statement(self, kind: Kind, project_id: int | None) -> str:
        """A statement not yet used in this project (the store would have merged a repeat).

        When the word lists run short (huge stores, busy projects), a ticket reference tells
        apart statements that would otherwise repeat.
        """
        for attempt in range(1_000):
            text = statement(self.rng, kind)
            if attempt >= 20:
                if len(text.split()) >= MAX_WORDS:
                    continue
                text += f" (DEV-{self.rng.randint(100, 99_999)})"
            key = (statement_key(text), project_id)
            if key not in self.seen:
                self.seen.add(key)
                return text
        raise RuntimeError("could not draw a new statement")  # pragma: no cover

    def evidence_row(self, plan: _Plan, number: int, evidence_id: int, when: datetime) -> Row:
        """One sighting of the statement in a transcript of one of the agents."""
        rng = self.rng
        tool = TOOL_PICK.pick(rng)
        root = plan.root or self.roots[self.project_pick.pick(rng) - 1]
        session = self.session(tool, root, when)
        session.lines += rng.randint(3, 60)
        line: int | None = session.lines
        index: int | None = None
        message_id: str | None = None
        session_id: str | None = session.id
        if tool == "claude-code":
            message_id = self.uuid()
        elif tool == "cline":
            line, index = None, session.lines // 4
        elif tool == "aider":
            session_id = None
        prefix = rng.choice(QUOTE_PREFIXES)
        said = plan.text[0].lower() + plan.text[1:] if prefix else plan.text
        quote = prefix + said + rng.choice(QUOTE_SUFFIXES)
        return {
            "id": evidence_id,
            "memory_id": plan.id,
            "tool": tool,
            "path": session.path,
            "line": line,
            "msg_index": index,
            "message_id": message_id,
            "session_id": session_id,
            "timestamp": when - timedelta(seconds=rng.uniform(0.5, 90)),
            "quote": quote,
            "rule": rng.choice(RULES[plan.kind]),
            "confidence": plan.confidences[number],
            "created_at": when,
        }

    def session(self, tool: str, root: str, when: datetime) -> _Session:
        """A transcript of `tool` in project `root`: usually a recent one, sometimes new."""
        pool = self.sessions.setdefault((tool, root), [])
        if pool and self.rng.random() < 0.8:
            return self.rng.choice(pool[-4:])
        started = when - timedelta(minutes=self.rng.uniform(1, 240))
        sid = self.uuid()
        if tool == "claude-code":
            path = f"/home/dev/.claude/projects/{root.replace('/', '-')}/{sid}.jsonl"
        elif tool == "codex":
            path = (
                f"/home/dev/.codex/sessions/{started:%Y/%m/%d}/"
                f"rollout-{started:%Y-%m-%dT%H-%M-%S}-{sid}.jsonl"
            )
        elif tool == "cline":
            sid = str(int(started.timestamp() * 1000))
            path = (
                "/home/dev/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/"
                f"{sid}/api_conversation_history.json"
            )
        else:
            path = f"{root}/.aider.chat.history.md"
        session = _Session(sid, path, started)
        pool.append(session)
        return session

    def chunk(self, first: int, count: int) -> _Batch:
        """Rows for memories `first` .. `first + count - 1` (0-based), with their history."""
        created = [self.created_at(i) for i in range(first, first + count)]
        # Nothing in this chunk happens after the earliest moment the next one can start.
        chunk_end = self.start + (self.now - self.start) * ((first + count) / self.total)
        plans = [self.plan(first + n, created[n], chunk_end) for n in range(count)]
        links = self.link_supersessions(plans, chunk_end)
        batch = _Batch()
        state = self.replay(batch, plans, links)
        for plan in plans:
            status, confidence = state[plan.id]
            assert status == plan.status, (plan.id, status, plan.status)
            batch.memories.append(
                {
                    "id": plan.id,
                    "kind": plan.kind,
                    "text": plan.text,
                    "status": plan.status,
                    "scope": plan.scope,
                    "project_id": plan.project_id,
                    "confidence": confidence,
                    "locked": False,
                    "revision": 1,
                    "created_at": plan.created,
                    "updated_at": plan.updated or plan.created,
                }
            )
            batch.revisions.append(
                {
                    "id": plan.id,
                    "memory_id": plan.id,
                    "number": 1,
                    "text": plan.text,
                    "key": statement_key(plan.text),
                    "kind": plan.kind,
                    "scope": plan.scope,
                    "project_id": plan.project_id,
                    "created_at": plan.created,
                }
            )
        return batch

    def replay(
        self,
        batch: _Batch,
        plans: Sequence[_Plan],
        links: Sequence[tuple[datetime, _Plan, _Plan]],
    ) -> dict[int, tuple[Status, float]]:
        """Write the chunk's evidence, supersessions, operations and events in time order.

        Ids are handed out in that order, as memtui would have; returns each memory's final
        (status, confidence).
        """
        # (when, tie-breaker, what, memory, evidence number | action | successor)
        timeline: list[tuple[datetime, int, str, _Plan, Any]] = []
        for plan in plans:
            for number, when in enumerate(plan.evidence_times):
                timeline.append((when, len(timeline), "evidence", plan, number))
            for when, command, action in plan.decisions:
                timeline.append((when, len(timeline), command, plan, action))
        for when, old, new in links:
            timeline.append((when, len(timeline), "supersede", old, new))
        timeline.sort(key=lambda item: (item[0], item[1]))

        state: dict[int, tuple[Status, float]] = {}
        for when, _, what, plan, extra in timeline:
            plan.updated = when
            operation_id = self.operation(batch, when, what)
            if what == "evidence" and extra == 0:
                evidence_id = self.add_evidence(batch, plan, extra, when)
                state[plan.id] = (Status.PENDING, plan.confidences[0])
                self.event(batch, operation_id, plan, Action.CREATED, None, state, when)
            elif what == "evidence":
                evidence_id = self.add_evidence(batch, plan, extra, when)
                before = state[plan.id]
                state[plan.id] = (before[0], combine_confidence(before[1], plan.confidences[extra]))
                added = {"evidence": [evidence_id]}
                self.event(batch, operation_id, plan, Action.MERGED, before, state, when, added)
            elif what == "supersede":
                # As curate.supersede with an id: the successor is confirmed, the old one
                # superseded, in one operation.
                successor: _Plan = extra
                successor.updated = when
                unchanged = state[successor.id]
                self.event(batch, operation_id, successor, Action.CONFIRMED, unchanged, state, when)
                link_id = self.next_link
                self.next_link += 1
                batch.supersessions.append(
                    {"id": link_id, "old_id": plan.id, "new_id": successor.id, "created_at": when}
                )
                before = state[plan.id]
                state[plan.id] = (Status.SUPERSEDED, before[1])
                added = {"supersessions": [link_id]}
                self.event(batch, operation_id, plan, Action.SUPERSEDED, before, state, when, added)
            else:
                before = state[plan.id]
                state[plan.id] = (DECIDES[what], before[1])
                self.event(batch, operation_id, plan, extra, before, state, when)
        return state

    def add_evidence(self, batch: _Batch, plan: _Plan, number: int, when: datetime) -> int:
        """Append the `number`th sighting of a memory's statement; return its id."""
        evidence_id = self.next_evidence
        self.next_evidence += 1
        batch.evidence.append(self.evidence_row(plan, number, evidence_id, when))
        return evidence_id

    def link_supersessions(
        self, plans: Sequence[_Plan], chunk_end: datetime
    ) -> list[tuple[datetime, _Plan, _Plan]]:
        """Pick, for each superseded memory, a later confirmed one that replaced it.

        A superseded memory with no confirmed successor in its chunk becomes deprecated.
        """
        confirmed = [p for p in plans if p.status == Status.CONFIRMED]
        confirmed_ids = [p.id for p in confirmed]
        used: set[int] = set()
        links: list[tuple[datetime, _Plan, _Plan]] = []
        for plan in plans:
            if plan.status != Status.SUPERSEDED:
                continue
            # The replacement: a belief confirmed soon after, preferably of the same kind and
            # project, and not already the replacement of another.
            start = bisect.bisect(confirmed_ids, plan.id)
            later = [p for p in confirmed[start : start + SUCCESSOR_WINDOW] if p.id not in used]
            alike = [p for p in later if (p.kind, p.project_id) == (plan.kind, plan.project_id)]
            if not later:
                plan.status = Status.DEPRECATED
                plan.decisions.append(
                    (self.later(plan.decisions[-1][0], chunk_end), "deprecate", Action.DEPRECATED)
                )
                continue
            new = (alike or later)[0]
            used.add(new.id)
            after = max(plan.decisions[-1][0], new.decisions[-1][0])
            links.append((self.later(after, chunk_end), plan, new))
        return links

    def operation(self, batch: _Batch, when: datetime, what: str) -> int:
        """Append the operation of one action: ingest's proposals, or a person's curation."""
        operation_id = self.next_operation
        self.next_operation += 1
        by_ingest = what == "evidence"
        batch.operations.append(
            {
                "id": operation_id,
                "command": "propose" if by_ingest else what,
                "actor": "ingest" if by_ingest else "user",
                "undoable": not by_ingest,
                "undoes_id": None,
                "created_at": when,
            }
        )
        return operation_id

    def event(
        self,
        batch: _Batch,
        operation_id: int,
        plan: _Plan,
        action: Action,
        before: tuple[Status, float] | None,
        state: dict[int, tuple[Status, float]],
        when: datetime,
        added: dict[str, list[int]] | None = None,
    ) -> None:
        """Append an event with the memory's snapshots, as curate._Tx.log writes them."""
        after = self.snapshot(plan, *state[plan.id])
        if added:
            after["added"] = added
        batch.events.append(
            {
                "id": self.next_event,
                "operation_id": operation_id,
                "memory_id": plan.id,
                "action": action,
                "before": None if before is None else self.snapshot(plan, *before),
                "after": after,
                "created_at": when,
            }
        )
        self.next_event += 1

    @staticmethod
    def snapshot(plan: _Plan, status: Status, confidence: float) -> Row:
        return {
            "text": plan.text,
            "kind": plan.kind.value,
            "status": status.value,
            "scope": plan.scope.value,
            "project": plan.root,
            "project_id": plan.project_id,
            "confidence": confidence,
            "locked": False,
            "revision": 1,
        }


def _table(model: type[Any]) -> Table:
    """The mapped table, whose column types turn aware datetimes and enums into stored values."""
    table: Table = model.__table__
    return table


def _insert(connection: Connection, model: type[Any], rows: list[Row]) -> None:
    if rows:
        connection.execute(insert(_table(model)), rows)


def seed_store(
    url: str,
    memories: int,
    *,
    pending_share: float = DEFAULT_PENDING_SHARE,
    seed: int = 0,
    now: datetime | None = None,
) -> None:
    """Migrate the empty database at `url` and fill it with `memories` synthetic memories.

    `pending_share` of them wait in the inbox (1.0: all of them); the rest are mostly
    confirmed, some rejected, superseded or deprecated. Each has one revision, 1-3 evidence
    rows, and the operations and events memtui would have logged for it. Raises ValueError if
    the database already holds memories.
    """
    if memories < 0:
        raise ValueError("memories must be >= 0")
    if not 0.0 <= pending_share <= 1.0:
        raise ValueError("pending_share must be between 0 and 1")
    upgrade(url)
    seeder = _Seeder(memories, pending_share, seed, now or datetime.now(UTC))
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if connection.scalar(select(func.count()).select_from(_table(Memory))):
                raise ValueError(f"{url} already holds memories: seed an empty database")
            _insert(connection, Project, seeder.project_rows())
            for first in range(0, memories, CHUNK):
                batch = seeder.chunk(first, min(CHUNK, memories - first))
                _insert(connection, Memory, batch.memories)
                _insert(connection, Revision, batch.revisions)
                _insert(connection, Evidence, batch.evidence)
                _insert(connection, Supersession, batch.supersessions)
                _insert(connection, Operation, batch.operations)
                _insert(connection, Event, batch.events)
    finally:
        engine.dispose()


def status_counts(url: str) -> dict[str, int]:
    """How many memories of each status the store at `url` holds."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            status = _table(Memory).c.status
            rows = connection.execute(select(status, func.count()).group_by(status))
            return {str(s): n for s, n in rows}
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bench.seed PATH`: write a synthetic store to a new SQLite file."""
    parser = argparse.ArgumentParser(prog="python -m bench.seed", description=__doc__)
    parser.add_argument("path", type=Path, help="SQLite file to create (must not exist)")
    parser.add_argument("--memories", type=int, default=100_000)
    parser.add_argument("--pending-share", type=float, default=DEFAULT_PENDING_SHARE)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.path.exists():
        parser.error(f"{args.path} exists: give a new file")
    url = f"sqlite:///{args.path.resolve()}"
    began = time.perf_counter()
    seed_store(url, args.memories, pending_share=args.pending_share, seed=args.seed)
    elapsed = time.perf_counter() - began
    print(f"seeded {args.memories:,} memories into {args.path} in {elapsed:.1f} s")
    print(", ".join(f"{n:,} {status}" for status, n in sorted(status_counts(url).items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
