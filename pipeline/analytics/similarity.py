"""Text similarity of provisions: 5-character shingles, exact Jaccard, MinHash LSH candidates.

The measure is Alschner & Skougarevskiy's: the Jaccard similarity of the sets of 5-character
shingles of two texts, read as "share of textual overlap". MinHash LSH (datasketch) only
proposes candidate pairs, so that the work grows with the number of similar pairs rather than
with the square of the number of provisions; every candidate is confirmed with the exact
Jaccard, and only exact values are ever reported.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

SHINGLE_SIZE = 5

# Case, punctuation and line breaks are layout, not drafting: ToTA's texts differ in quote
# marks, bullets and hyphenation between agreements that share a template word for word.
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, runs of white space made one space."""
    return _SPACE.sub(" ", _NOT_WORD.sub(" ", text.lower())).strip()


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[str]:
    """The set of `size`-character shingles of the normalised text (the whole text if shorter)."""
    flat = normalise(text)
    if len(flat) <= size:
        return frozenset([flat]) if flat else frozenset()
    return frozenset(flat[i:i + size] for i in range(len(flat) - size + 1))


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    """|A ∩ B| / |A ∪ B|; 0.0 when both are empty (two empty texts share no drafting)."""
    if not left or not right:
        return 0.0
    common = len(left & right)
    return common / (len(left) + len(right) - common)


@dataclass(frozen=True, slots=True)
class CandidateSettings:
    """How MinHash LSH proposes pairs. The LSH threshold sits below the lowest similarity that
    is reported, so that pairs near that floor are still proposed with high probability; the
    many false candidates this lets through are dropped on their MinHash estimate, which costs
    far less than the exact Jaccard (at J = 0.3 the estimate's standard error with 128
    permutations is 0.04, so a margin of 0.1 loses under 1% of the pairs at the floor)."""

    threshold: float = 0.2
    estimate_margin: float = 0.1
    num_perm: int = 128
    seed: int = 1


def signatures(sets: Sequence[frozenset[str]], settings: CandidateSettings = CandidateSettings()
               ) -> list[MinHash]:
    """One MinHash per shingle set."""
    return MinHash.bulk(sets, num_perm=settings.num_perm, seed=settings.seed, hashfunc=_crc32)


def _crc32(shingle: str) -> int:
    # MinHash needs a deterministic 32-bit hash of each shingle and mixes it with its own
    # permutations; CRC-32 in C costs a fraction of the default SHA-1 per shingle.
    return zlib.crc32(shingle.encode())


def candidate_pairs(minhashes: Sequence[MinHash], settings: CandidateSettings = CandidateSettings()
                    ) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose MinHash signatures collide in at least one LSH band."""
    index = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
    pairs: set[tuple[int, int]] = set()
    for i, minhash in enumerate(minhashes):
        if minhash.is_empty():
            continue
        # Query before inserting: each pair is found once, from its later index.
        for j in index.query(minhash):
            pairs.add((j, i))
        index.insert(i, minhash)
    return pairs
