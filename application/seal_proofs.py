"""Roots and proofs over the sealed tree, read from the stored leaves and subtrees."""

from __future__ import annotations

from application.seal_store import NODE_STRIDE, Cursor, SealStore
from domain.merkle import SubtreeHash, consistency_path, inclusion_path, node_hash, range_hash


class SealIncompleteError(RuntimeError):
    """The seal tables lack rows a proof needs (they were damaged); run 'pvb verify'."""


class Tree:
    """The sealed Merkle tree as stored: any root or proof in O(log n) small reads."""

    def __init__(self, store: SealStore) -> None:
        self.store = store

    def subtrees(self, c: Cursor) -> SubtreeHash:
        """A SubtreeHash reading stored leaves and nodes, caching within one question."""
        cache: dict[tuple[int, int], bytes] = {}

        def subtree(level: int, index: int) -> bytes:
            found = cache.get((level, index))
            if found is not None:
                return found
            extra = level % NODE_STRIDE  # stored levels are multiples of the stride
            count = 1 << extra
            hashes = self.store.subtree_rows(c, level - extra, index * count, (index + 1) * count)
            if len(hashes) != count:
                raise SealIncompleteError(
                    f"the seal is missing part of the subtree at level {level}, index {index}"
                )
            while len(hashes) > 1:
                hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
            cache[(level, index)] = hashes[0]
            return hashes[0]

        return subtree

    def root_at(self, c: Cursor, size: int) -> bytes:
        """MTH of the first size sealed leaves."""
        return range_hash(0, size, self.subtrees(c))

    def inclusion(self, c: Cursor, index: int, size: int) -> list[bytes]:
        """The audit path of leaf index in the tree of size leaves."""
        return inclusion_path(index, size, self.subtrees(c))

    def consistency(self, c: Cursor, first: int, second: int) -> list[bytes]:
        """The consistency proof from size first to size second (empty when equal)."""
        if first == second:
            return []
        return consistency_path(first, second, self.subtrees(c))
