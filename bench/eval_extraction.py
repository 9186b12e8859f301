"""Extraction quality on the labelled corpus: recall, precision and noise (corpus/LABELING.md).

    python -m bench eval_extraction             # table per file and totals
    python -m bench eval_extraction --verbose   # also every candidate and every missed label
    python bench/eval_extraction.py             # the same, run as a script

For every `corpus/labels/<tool>/<name>.labels.json`, the transcript `corpus/real/<tool>/<name>`
is read with memtui's own source for that tool, the default extractor runs on its messages,
and each candidate is matched to the labels by the locator (line or index) of the message it
came from:

- recall: labelled `yes` messages with at least one candidate / labelled `yes` messages;
- precision: candidates on a `yes` or `maybe` message / all candidates;
- noise: candidates on unlabelled messages per 100 human messages (`human_messages`).

Totals are micro-averaged (sums over the files). The figures go to
bench/results/eval_extraction.json. The corpus is the `shared/corpus` folder beside the
repository; without it the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/eval_extraction.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from memtui.core.transcripts import Message, ReadState
from memtui.extract import Proposal, RuleExtractor

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
RESULTS = Path(__file__).resolve().parent / "results"
SOURCES = {
    "claude-code": ("memtui.sources.claude_code", "ClaudeCodeSource"),
    "codex": ("memtui.sources.codex", "CodexSource"),
    "cline": ("memtui.sources.cline", "ClineSource"),
    "aider": ("memtui.sources.aider", "AiderSource"),
}
TARGETS = {"recall": 0.85, "precision": 0.75, "noise": 5.0}

Locator = tuple[str, int]
"""("line", N) or ("index", N): where a message is in its transcript."""


@dataclass
class Scored:
    """One transcript's labels, candidates and counts."""

    transcript: str
    human_messages: int
    yes: set[Locator] = field(default_factory=set)
    maybe: set[Locator] = field(default_factory=set)
    memories: dict[Locator, list[str]] = field(default_factory=dict)
    candidates: list[tuple[Locator | None, Proposal]] = field(default_factory=list)
    mined_messages: int = 0
    error: str | None = None

    def verdict(self, where: Locator | None) -> str:
        if where in self.yes:
            return "TP"
        if where in self.maybe:
            return "maybe"
        return "FP"

    def counts(self) -> dict[str, int]:
        verdicts = Counter(self.verdict(where) for where, _ in self.candidates)
        found = {where for where, _ in self.candidates}
        return {
            "human_messages": self.human_messages,
            "mined_messages": self.mined_messages,
            "yes": len(self.yes),
            "maybe": len(self.maybe),
            "yes_found": len(self.yes & found),
            "candidates": len(self.candidates),
            "on_yes": verdicts["TP"],
            "on_maybe": verdicts["maybe"],
            "on_unlabelled": verdicts["FP"],
        }


def figures(counts: dict[str, int]) -> dict[str, float | None]:
    """Recall, precision and noise from the counts of one file or of all of them."""
    return {
        "recall": counts["yes_found"] / counts["yes"] if counts["yes"] else None,
        "precision": (counts["on_yes"] + counts["on_maybe"]) / counts["candidates"]
        if counts["candidates"]
        else None,
        "noise": 100 * counts["on_unlabelled"] / counts["human_messages"]
        if counts["human_messages"]
        else None,
    }


def locator(message: Message) -> Locator | None:
    if message.line is not None:
        return ("line", message.line)
    if message.index is not None:
        return ("index", message.index)
    return None


def _label_locator(at: dict[str, Any]) -> Locator:
    if "line" in at:
        return ("line", int(at["line"]))
    return ("index", int(at["index"]))


def load_source(tool: str) -> Any:
    """An instance of memtui's source for `tool`; ImportError/AttributeError if not there yet."""
    module_name, class_name = SOURCES[tool]
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()


def score(label_file: Path, corpus: Path, extractor: RuleExtractor) -> Scored:
    """Read one labelled transcript, extract from it, and match candidates to the labels."""
    data = json.loads(label_file.read_text(encoding="utf-8"))
    tool = label_file.parent.name
    name = label_file.name.removesuffix(".labels.json")
    scored = Scored(f"{tool}/{name}", int(data.get("human_messages", 0)))
    for label in data.get("labels", []):
        where = _label_locator(label["at"])
        (scored.yes if label["label"] == "yes" else scored.maybe).add(where)
        scored.memories.setdefault(where, []).append(str(label.get("memory", "")))
    scored.maybe -= scored.yes
    transcript = corpus / "real" / tool / name
    if tool not in SOURCES:
        scored.error = f"no source known for {tool!r}"
        return scored
    try:
        source = load_source(tool)
    except (ImportError, AttributeError) as error:
        scored.error = f"source not available: {error}"
        return scored
    try:
        result = source.read(transcript, ReadState())
    except Exception as error:  # a parser still being written must not stop the others
        scored.error = f"could not read: {type(error).__name__}: {error}"
        return scored
    scored.mined_messages = sum(1 for m in result.messages if m.author in extractor.mined)
    scored.candidates = [(locator(p.message), p) for p in extractor.propose(result.messages)]
    return scored


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def report(files: list[Scored], verbose: bool) -> dict[str, Any]:
    """Print the table (and with `verbose` the candidates and misses); return the figures."""
    scored = [f for f in files if f.error is None]
    width = max([len(f.transcript) for f in files] + [10])
    header = (
        f"{'transcript':<{width}}  {'human':>5} {'mined':>5} {'yes':>3} {'mb':>3} "
        f"{'cand':>4} {'TP':>3} {'mb':>3} {'FP':>3}  {'recall':>6} {'prec':>5} {'noise':>5}"
    )
    print(header)
    print("-" * len(header))
    per_file: dict[str, Any] = {}
    for item in files:
        if item.error is not None:
            print(f"{item.transcript:<{width}}  not scored: {item.error}")
            per_file[item.transcript] = {"error": item.error}
            continue
        counts = item.counts()
        result = figures(counts)
        per_file[item.transcript] = {**counts, **result}
        print(_row(item.transcript, width, counts, result))
    total = Counter[str]()
    for item in scored:
        total.update(item.counts())
    totals = {**dict(total), **figures(dict(total))} if scored else {}
    print("-" * len(header))
    if scored:
        print(_row(f"total ({len(scored)} files)", width, dict(total), figures(dict(total))))
        met = _targets(figures(dict(total)))
        print(
            f"\ntargets: recall >= {TARGETS['recall']}, precision >= {TARGETS['precision']}, "
            f"noise <= {TARGETS['noise']} per 100 human messages: {met}"
        )
    unscored = [f.transcript for f in files if f.error is not None]
    if unscored:
        print(f"\nnot scored ({len(unscored)}): " + ", ".join(unscored))
    if verbose:
        _details(scored)
    return {
        "files": per_file,
        "totals": totals,
        "unscored": unscored,
        "candidates": [
            {
                "transcript": item.transcript,
                "at": dict([where]) if where else None,
                "verdict": item.verdict(where),
                "rule": proposal.rule,
                "kind": str(proposal.kind),
                "scope": str(proposal.scope),
                "confidence": proposal.confidence,
                "text": proposal.text,
                "quote": proposal.quote,
            }
            for item in scored
            for where, proposal in item.candidates
        ],
        "missed": [
            {"transcript": item.transcript, "at": dict([where]), "memory": memory}
            for item in scored
            for where in sorted(item.yes - {w for w, _ in item.candidates})
            for memory in item.memories.get(where, [])
        ],
    }


def _row(name: str, width: int, counts: dict[str, int], result: dict[str, float | None]) -> str:
    return (
        f"{name:<{width}}  {counts['human_messages']:>5} {counts['mined_messages']:>5} "
        f"{counts['yes']:>3} {counts['maybe']:>3} {counts['candidates']:>4} "
        f"{counts['on_yes']:>3} {counts['on_maybe']:>3} {counts['on_unlabelled']:>3}  "
        f"{_fmt(result['recall']):>6} {_fmt(result['precision']):>5} "
        f"{_fmt(result['noise'], 1):>5}"
    )


def _targets(result: dict[str, float | None]) -> str:
    recall, precision, noise = result["recall"], result["precision"], result["noise"]
    checks = [
        recall is not None and recall >= TARGETS["recall"],
        precision is not None and precision >= TARGETS["precision"],
        noise is not None and noise <= TARGETS["noise"],
    ]
    return "all met" if all(checks) else f"{sum(checks)} of 3 met"


def _details(files: list[Scored]) -> None:
    for item in files:
        if not item.candidates and not item.yes:
            continue
        print(f"\n== {item.transcript}")
        for where, proposal in item.candidates:
            at = f"{where[0]} {where[1]}" if where else "?"
            print(
                f"  {item.verdict(where):<5} {at:<10} {proposal.rule:<20} "
                f"{proposal.kind!s:<10} {proposal.confidence:.2f}  {proposal.text}"
            )
        found = {where for where, _ in item.candidates}
        for where in sorted(item.yes - found):
            for memory in item.memories.get(where, []):
                print(f"  MISS  {where[0]} {where[1]:<5} {memory}")


def run(argv: Sequence[str]) -> int:
    """Score the default extractor on every labelled transcript; print and save the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench eval_extraction")
    parser.add_argument("--verbose", "-v", action="store_true", help="every candidate and miss")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder")
    args, _ = parser.parse_known_args(list(argv))
    labels = args.corpus / "labels"
    label_files = sorted(labels.glob("*/*.labels.json")) if labels.is_dir() else []
    if not label_files:
        print(f"eval_extraction: no labelled corpus at {labels}; nothing to score")
        return 0
    extractor = RuleExtractor()
    files = [score(path, args.corpus, extractor) for path in label_files]
    figures_ = report(files, args.verbose)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "eval_extraction.json"
    out.write_text(json.dumps(figures_, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
