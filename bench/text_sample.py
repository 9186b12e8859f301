"""A reproducible sample of candidate texts from the labelled corpus, to judge them by hand.

    python -m bench text_sample               # 30 candidates, seed 0
    python -m bench text_sample --seed 7      # another sample
    python -m bench text_sample --size 0      # every candidate, in corpus order

The default extractor runs over every labelled transcript of `shared/corpus` (as
`python -m bench eval_extraction` does), and the sample is drawn by ranking each candidate on
a hash of the seed and of where it comes from (file, locator, quote), not on its text: after
a change to the wording logic, the same seed picks the same candidates as long as they are
still proposed, so the texts before and after can be compared one by one.

For each candidate it prints the file, the locator, the rule, the kind, the confidence, the
label of its message (TP, maybe, FP), the proposed text, the quote, and the memory the labeller
wrote for that message (what a good text looks like). Nothing is written to the repository;
bench/results/ (gitignored) receives the sample as JSON. How to judge it: bench/TEXT_QUALITY.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/text_sample.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.eval_extraction import CORPUS, RESULTS, Locator, score
from memtui.extract import Proposal, RuleExtractor

SIZE = 30


@dataclass(frozen=True)
class Sampled:
    """One candidate with where it came from and what the labeller wrote there."""

    transcript: str
    where: Locator | None
    verdict: str
    proposal: Proposal
    memories: tuple[str, ...]

    @property
    def at(self) -> str:
        return f"{self.where[0]} {self.where[1]}" if self.where else "?"

    def rank(self, seed: int) -> str:
        """The sort key of the sample: stable across changes to the proposal's text."""
        key = f"{seed}\0{self.transcript}\0{self.at}\0{self.proposal.quote}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


def candidates(corpus: Path) -> list[Sampled]:
    """Every candidate of the default extractor on the labelled corpus, in corpus order."""
    labels = corpus / "labels"
    found: list[Sampled] = []
    extractor = RuleExtractor()
    for path in sorted(labels.glob("*/*.labels.json")):
        scored = score(path, corpus, extractor)
        for where, proposal in scored.candidates:
            memories = tuple(scored.memories.get(where, [])) if where else ()
            found.append(
                Sampled(scored.transcript, where, scored.verdict(where), proposal, memories)
            )
    return found


def sample(found: Sequence[Sampled], seed: int, size: int) -> list[Sampled]:
    """`size` candidates chosen by `seed` (all of them when size is 0), in corpus order."""
    if size <= 0 or size >= len(found):
        return list(found)
    chosen = {id(item) for item in sorted(found, key=lambda item: item.rank(seed))[:size]}
    return [item for item in found if id(item) in chosen]


def run(argv: Sequence[str]) -> int:
    """Print a deterministic sample of candidates; save it to bench/results/."""
    parser = argparse.ArgumentParser(prog="python -m bench text_sample")
    parser.add_argument("--seed", type=int, default=0, help="which sample (default 0)")
    parser.add_argument("--size", type=int, default=SIZE, help="how many; 0 for all")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder")
    args, _ = parser.parse_known_args(list(argv))
    if not (args.corpus / "labels").is_dir():
        print(f"text_sample: no labelled corpus at {args.corpus / 'labels'}; nothing to sample")
        return 0
    found = candidates(args.corpus)
    chosen = sample(found, args.seed, args.size)
    print(f"{len(chosen)} of {len(found)} candidates, seed {args.seed}\n")
    for number, item in enumerate(chosen, 1):
        p = item.proposal
        print(
            f"#{number:<3} {item.transcript}  {item.at}\n"
            f"     {p.rule} / {p.kind} / {p.confidence:.2f} / {item.verdict}\n"
            f"     text:  {p.text}\n"
            f"     quote: {p.quote}"
        )
        for memory in item.memories:
            print(f"     label: {memory}")
        print()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"text_sample-{args.seed}.json"
    rows = [
        {
            "n": number,
            "transcript": item.transcript,
            "at": item.at,
            "rule": item.proposal.rule,
            "kind": str(item.proposal.kind),
            "confidence": item.proposal.confidence,
            "verdict": item.verdict,
            "text": item.proposal.text,
            "quote": item.proposal.quote,
            "labels": list(item.memories),
        }
        for number, item in enumerate(chosen, 1)
    ]
    out.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"sample: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
