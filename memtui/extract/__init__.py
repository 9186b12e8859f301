"""Candidate extraction: what in a person's messages to their agents deserves a memory.

Pure: reads Messages (memtui.core), returns Proposals; no database, no files, no network.

    from memtui.extract import extract
    for proposal in extract(messages):
        print(proposal.rule, proposal.kind, proposal.text)
"""

from memtui.extract.extractor import RuleExtractor, extract
from memtui.extract.proposal import Extractor, Proposal
from memtui.extract.rules import RULES, Rule

__all__ = ["RULES", "Extractor", "Proposal", "Rule", "RuleExtractor", "extract"]
