"""Two-way, explainable matching of associations with companies.

For an organisation A and a candidate B of the other kind:

- each need of A is compared with B's offers, and each offer of A with B's needs;
- two items match when they share a *concept*: the category picked, or the category their own
  words point to (the taxonomy's French/English synonyms, so « site internet » meets
  "web site creation" and « comptabilité » meets "bookkeeping");
- among matching items, the closer their own words (rapidfuzz on normalised text), the
  higher the score;
- a win-win pair (each side answers a need of the other) ranks higher, then the same city,
  the same region, remote-friendliness, and how recently the profile was confirmed.

Items of related but different categories do not match: a near miss is not a match.

The rules live in `core.scoring` (one pair, with its reasons) and the fast search in
`core.match_index` (`MatchIndex`: every active organisation in numpy arrays and inverted
postings, so that a query touches only the organisations sharing a concept or a word with it).
This module is their public face.
"""

from core.match_index import MatchIndex
from core.scoring import (
    Candidate,
    Reason,
    Weights,
    concepts,
    explain_pair,
    in_person,
    item_score,
    proximity,
)

__all__ = [
    "Candidate",
    "MatchIndex",
    "Reason",
    "Weights",
    "concepts",
    "explain_pair",
    "in_person",
    "item_score",
    "proximity",
]
