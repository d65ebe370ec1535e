"""Merkle tree hashing, audit paths and consistency proofs exactly as RFC 9162 (CT v2) section 2.1.

Hashes are SHA-256. A leaf hashes as SHA-256(0x00 || leaf) and an interior node as
SHA-256(0x01 || left || right), so a leaf can never pass for a node. MTH of n > 1 leaves splits
at k, the largest power of two smaller than n. Pure functions: the caller supplies the hashes of
complete subtrees (from memory or from storage) through a ``SubtreeHash`` callable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = HASH()

# (level, index) -> hash of the complete subtree over leaves [index * 2**level, (index+1) * 2**level)
SubtreeHash = Callable[[int, int], bytes]


def leaf_hash(leaf: bytes) -> bytes:
    """MTH({d0}) = SHA-256(0x00 || d0)."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1)."""
    if n < 2:
        raise ValueError(f"a tree of {n} leaves does not split")
    return 1 << ((n - 1).bit_length() - 1)


def range_hash(start: int, end: int, subtree: SubtreeHash) -> bytes:
    """MTH(D[start:end]) by the RFC's recursion, using stored complete subtrees where aligned."""
    n = end - start
    if n <= 0:
        return EMPTY_ROOT if n == 0 else _fail(f"empty range {start}..{end}")
    if n & (n - 1) == 0 and start % n == 0:
        return subtree(n.bit_length() - 1, start // n)
    k = split_point(n)
    return node_hash(range_hash(start, start + k, subtree), range_hash(start + k, end, subtree))


def _fail(message: str) -> bytes:
    raise ValueError(message)


def inclusion_path(index: int, size: int, subtree: SubtreeHash) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 section 2.1.3.1: the audit path of leaf m, leaf side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = split_point(end - start)
        if m < k:
            path.append(range_hash(start + k, end, subtree))
            end = start + k
        else:
            path.append(range_hash(start, start + k, subtree))
            start, m = start + k, m - k
    path.reverse()  # the recursion appends the root's sibling last: PATH(...) : MTH(...)
    return path


def consistency_path(first: int, second: int, subtree: SubtreeHash) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 section 2.1.4.1 (0 < m <= n)."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from size {first} to size {second}")
    proof: list[bytes] = []
    start, end, m, whole = 0, second, first, True
    while m != end - start:
        n = end - start
        k = split_point(n)
        if m <= k:
            proof.append(range_hash(start + k, end, subtree))
            end = start + k
        else:
            proof.append(range_hash(start, start + k, subtree))
            start, m, whole = start + k, m - k, False
    if not whole:
        proof.append(range_hash(start, end, subtree))  # SUBPROOF(m, D[m], false) = {MTH(D[m])}
    proof.reverse()
    return proof


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2: does path prove leaf hash ``leaf`` at index in the tree ``root``?"""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2 for 0 < first < second; equal sizes need equal roots, no path."""
    if first == second:
        return first > 0 and not path and first_root == second_root
    if not 0 < first < second or not path:
        return False
    hashes = list(path)
    if first & (first - 1) == 0:
        hashes.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = hashes[0]
    for c in hashes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


@dataclass(frozen=True)
class Node:
    """A complete subtree: its level (log2 of its leaves), its index at that level, its hash."""

    level: int
    index: int
    hash: bytes


class CompactRange:
    """The right edge of a growing tree: one hash per set bit of its size, largest first.

    Appending a leaf costs one hash on average and yields the complete subtrees it finished,
    so sealing never re-reads earlier leaves and verifying streams in constant memory.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != bin(size).count("1"):
            raise ValueError(f"a tree of {size} leaves has {bin(size).count('1')} edge hashes")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf_hash_: bytes) -> list[Node]:
        """Add the next leaf hash; return the complete subtrees of level >= 1 it finished."""
        finished: list[Node] = []
        h, level, index = leaf_hash_, 0, self.size
        while (self.size >> level) & 1:
            h = node_hash(self.hashes.pop(), h)
            level += 1
            index >>= 1
            finished.append(Node(level, index, h))
        self.hashes.append(h)
        self.size += 1
        return finished

    def push(self, leaf_hash_: bytes) -> None:
        """Add the next leaf hash (like append, without reporting the finished subtrees)."""
        h, n, hashes = leaf_hash_, self.size, self.hashes
        sha256 = hashlib.sha256
        while n & 1:
            h = sha256(b"\x01" + hashes.pop() + h).digest()
            n >>= 1
        hashes.append(h)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the leaves so far: the edge hashes folded from the right."""
        if not self.hashes:
            return EMPTY_ROOT
        r = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            r = node_hash(h, r)
        return r


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH of a sequence of leaf hashes."""
    edge = CompactRange()
    for h in leaf_hashes:
        edge.append(h)
    return edge.root()


def subtrees_of(leaf_hashes: Sequence[bytes]) -> SubtreeHash:
    """A SubtreeHash over leaf hashes held in memory (every level computed once)."""
    levels = [list(leaf_hashes)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    def subtree(level: int, index: int) -> bytes:
        return levels[level][index]

    return subtree
