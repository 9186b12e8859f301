"""Every proposal the extractor makes on the shared corpus and on `bench ingest`'s sessions, kept
to compare a change of the extractor against: the same texts, quotes, rules, kinds, confidences,
scopes and places, or the list of what differs.

    python -m bench proposals                        # write bench/results/proposals.json
    python -m bench proposals --against OLD.json     # ... and compare with an earlier run
    python -m bench proposals --megabytes 200        # as many generated sessions as the bench

Run it on the commit before a change (copy the file aside), then after it with `--against`.
Messages are read as ingest reads them (human text only, secrets redacted). The generated
sessions are those of `python -m bench ingest` (same generator, same seed), 20 MB by default;
the corpus is `shared/corpus` beside the repository (`--corpus` names another).
Exit status 1 when `--against` finds a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from bench.eval_extraction import CORPUS
from bench.ingest import generate
from memtui.core.transcripts import MINED, Message, ReadState
from memtui.extract import RuleExtractor
from memtui.extract.redact import redact
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import detect

RESULTS = Path(__file__).resolve().parent / "results"


def redacted(messages: Sequence[Message]) -> list[Message]:
    """The messages as ingest hands them to the extractor."""
    return [replace(m, text=redact(m.text).text) if m.author in MINED else m for m in messages]


def transcripts(corpus: Path, generated: Path) -> Iterator[tuple[str, list[Message]]]:
    """(name, messages) of every transcript of the shared corpus, then of the generated ones."""
    real = corpus / "real"
    for path in sorted(real.rglob("*")) if real.is_dir() else []:
        source = detect(path) if path.is_file() else None
        if source is not None:
            name = f"corpus/{path.relative_to(real)}"
            yield name, redacted(source.read(path, ReadState(), human_only=True).messages)
    source = ClaudeCodeSource()
    for path in sorted(generated.rglob("*.jsonl")):
        name = f"bench/{path.relative_to(generated)}"
        yield name, redacted(source.read(path, ReadState(), human_only=True).messages)


def proposals(corpus: Path, generated: Path) -> dict[str, list[list[object]]]:
    """Per transcript, each proposal as a list of what makes it (JSON-ready)."""
    extractor = RuleExtractor()
    found: dict[str, list[list[object]]] = {}
    for name, messages in transcripts(corpus, generated):
        found[name] = [
            [
                p.text,
                p.quote,
                p.rule,
                p.kind.value,
                p.confidence,
                p.scope.value,
                p.message.line,
                p.message.index,
            ]
            for p in extractor.propose(messages)
        ]
    return found


def differences(
    old: dict[str, list[list[object]]], new: dict[str, list[list[object]]]
) -> list[str]:
    """One line per transcript whose proposals differ, with the first that differs."""
    lines = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name, []), new.get(name, [])
        if before != after:
            first = next(
                (i for i, (b, a) in enumerate(zip(before, after, strict=False)) if b != a),
                min(len(before), len(after)),
            )
            was = before[first] if first < len(before) else None
            now = after[first] if first < len(after) else None
            lines.append(
                f"{name}: {len(before)} -> {len(after)} proposals; #{first}: {was} -> {now}"
            )
    return lines


def run(argv: Sequence[str] | None = None) -> int:
    """Extract, write the proposals and their digest, and compare when asked."""
    parser = argparse.ArgumentParser(prog="python -m bench proposals")
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--against", type=Path, help="proposals.json of an earlier run")
    parser.add_argument("--quick", action="store_true", help="2 MB of generated sessions")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus folder")
    args, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="memtui-bench-proposals-") as tmp:
        generate(Path(tmp), 2 if args.quick else args.megabytes)
        found = proposals(args.corpus, Path(tmp))
    text = json.dumps(found, ensure_ascii=False, indent=0)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    corpus = sum(len(v) for k, v in found.items() if k.startswith("corpus/"))
    generated = sum(len(v) for k, v in found.items() if k.startswith("bench/"))
    print(f"{corpus} proposals on the shared corpus, {generated} on generated sessions")
    print(f"digest {digest}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "proposals.json").write_text(text)
    if args.against is None:
        return 0
    old = json.loads(args.against.read_text())
    lines = differences(old, found)
    print("\n".join(lines) if lines else f"the same proposals as {args.against}")
    return 1 if lines else 0


if __name__ == "__main__":
    raise SystemExit(run())
