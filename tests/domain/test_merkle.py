"""RFC 9162 Merkle hashing and proofs, checked against the RFC's definitions written out naively."""

from __future__ import annotations

import hashlib

import pytest

from domain.merkle import (
    EMPTY_ROOT,
    CompactRange,
    consistency_path,
    inclusion_path,
    leaf_hash,
    node_hash,
    range_hash,
    root_of,
    split_point,
    subtrees_of,
    verify_consistency,
    verify_inclusion,
)

SIZES = range(1, 71)


# The RFC's recursive definitions (section 2.1.1, 2.1.3.1, 2.1.4.1), transcribed as plainly as
# possible and independent of the module under test.
def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def naive_k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def naive_mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return sha(b"")
    if n == 1:
        return sha(b"\x00" + leaves[0])
    k = naive_k(n)
    return sha(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:]))


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = naive_k(n)
    if m < k:
        return naive_path(m, leaves[:k]) + [naive_mth(leaves[k:])]
    return naive_path(m - k, leaves[k:]) + [naive_mth(leaves[:k])]


def naive_subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [naive_mth(leaves)]
    k = naive_k(n)
    if m <= k:
        return naive_subproof(m, leaves[:k], b) + [naive_mth(leaves[k:])]
    return naive_subproof(m - k, leaves[k:], False) + [naive_mth(leaves[:k])]


def leaves_of(n: int) -> list[bytes]:
    return [f"leaf {i}".encode() for i in range(n)]


def tree(n: int):  # type: ignore[no-untyped-def]
    hashes = [leaf_hash(x) for x in leaves_of(n)]
    return hashes, subtrees_of(hashes)


def flip(h: bytes) -> bytes:
    return bytes([h[0] ^ 1]) + h[1:]


def test_leaf_and_node_hashes_carry_distinct_prefixes():
    assert leaf_hash(b"x") == sha(b"\x00x")
    assert node_hash(b"a" * 32, b"b" * 32) == sha(b"\x01" + b"a" * 32 + b"b" * 32)
    assert leaf_hash(b"a" * 32 + b"b" * 32) != node_hash(b"a" * 32, b"b" * 32)
    assert EMPTY_ROOT == sha(b"") == root_of([])


def test_split_point_is_the_largest_power_of_two_below_n():
    assert [split_point(n) for n in (2, 3, 4, 5, 8, 9, 70)] == [1, 2, 2, 4, 4, 8, 64]
    with pytest.raises(ValueError):
        split_point(1)


@pytest.mark.parametrize("n", SIZES)
def test_root_matches_the_rfc_definition_for_every_size(n):
    hashes, subtree = tree(n)
    expected = naive_mth(leaves_of(n))
    assert root_of(hashes) == expected
    assert range_hash(0, n, subtree) == expected


def test_compact_range_yields_every_complete_subtree_and_the_root_as_it_grows():
    edge, finished = CompactRange(), []
    for i, h in enumerate(leaf_hash(x) for x in leaves_of(70)):
        finished.extend(edge.append(h))
        assert edge.root() == naive_mth(leaves_of(i + 1))
    _, subtree = tree(70)
    assert {(n.level, n.index) for n in finished} == {
        (level, index) for level in range(1, 7) for index in range(70 >> level)
    }
    assert all(n.hash == subtree(n.level, n.index) for n in finished)
    resumed = CompactRange(edge.size, edge.hashes)
    assert resumed.root() == edge.root()
    with pytest.raises(ValueError):
        CompactRange(3, edge.hashes[:1])


@pytest.mark.parametrize("n", SIZES)
def test_inclusion_paths_match_the_rfc_and_verify(n):
    hashes, subtree = tree(n)
    root = naive_mth(leaves_of(n))
    for m in range(n):
        path = inclusion_path(m, n, subtree)
        assert path == naive_path(m, leaves_of(n))
        assert verify_inclusion(hashes[m], m, n, path, root)


@pytest.mark.parametrize("n", SIZES)
def test_consistency_proofs_match_the_rfc_and_verify(n):
    _, subtree = tree(n)
    root = naive_mth(leaves_of(n))
    for m in range(1, n + 1):
        proof = consistency_path(m, n, subtree)
        assert proof == naive_subproof(m, leaves_of(n), True)
        assert verify_consistency(m, n, naive_mth(leaves_of(m)), root, proof)


def test_broken_inclusion_proofs_are_rejected():
    for n in (2, 3, 5, 8, 13, 31, 64, 70):
        hashes, subtree = tree(n)
        root = root_of(hashes)
        bigger = root_of([*hashes, leaf_hash(b"one more")])
        for m in range(n):
            path = inclusion_path(m, n, subtree)
            assert not verify_inclusion(flip(hashes[m]), m, n, path, root)  # another leaf
            assert not verify_inclusion(hashes[m], m, n, path, flip(root))  # wrong root
            for i in range(len(path)):  # a flipped bit anywhere in the path
                assert not verify_inclusion(hashes[m], m, n, path[:i] + [flip(path[i])] + path[i + 1:], root)
            assert not verify_inclusion(hashes[m], m, n, path[:-1], root)  # truncated
            assert not verify_inclusion(hashes[m], m, n, [*path, path[-1]], root)  # extended
            # A wrong size (a checkpoint binds each size to its own root).
            assert not verify_inclusion(hashes[m], m, n + 1, path, bigger)
            if m < n - 1:
                assert not verify_inclusion(hashes[m], m, n - 1, path, root_of(hashes[: n - 1]))
            if n > 1:  # wrong index
                other = (m + 1) % n
                assert not verify_inclusion(hashes[m], other, n, path, root)
            assert not verify_inclusion(hashes[m], n, n, path, root)  # index out of range


def test_broken_consistency_proofs_are_rejected():
    for n in (3, 5, 8, 13, 31, 64, 70):
        hashes, subtree = tree(n)
        new_root = root_of(hashes)
        bigger = root_of([*hashes, leaf_hash(b"one more")])
        for m in range(1, n):
            old_root = root_of(hashes[:m])
            proof = consistency_path(m, n, subtree)
            assert verify_consistency(m, n, old_root, new_root, proof)
            assert not verify_consistency(m, n, flip(old_root), new_root, proof)
            assert not verify_consistency(m, n, old_root, flip(new_root), proof)
            for i in range(len(proof)):
                broken = proof[:i] + [flip(proof[i])] + proof[i + 1:]
                assert not verify_consistency(m, n, old_root, new_root, broken)
            assert not verify_consistency(m, n, old_root, new_root, proof[:-1])
            assert not verify_consistency(m, n, old_root, new_root, [*proof, proof[0]])
            assert not verify_consistency(m, n, old_root, new_root, [])
            assert not verify_consistency(m, n + 1, old_root, bigger, proof)  # wrong size
            if m > 1:
                assert not verify_consistency(m - 1, n, root_of(hashes[: m - 1]), new_root, proof)


def test_a_rewritten_history_fails_the_consistency_proof():
    hashes, _ = tree(20)
    rewritten = list(hashes)
    rewritten[4] = leaf_hash(b"something else")
    proof = consistency_path(10, 20, subtrees_of(rewritten))
    assert not verify_consistency(10, 20, root_of(hashes[:10]), root_of(rewritten), proof)


def test_equal_sizes_need_equal_roots_and_no_proof():
    hashes, subtree = tree(6)
    root = root_of(hashes)
    assert consistency_path(6, 6, subtree) == []
    assert verify_consistency(6, 6, root, root, [])
    assert not verify_consistency(6, 6, root, flip(root), [])
    assert not verify_consistency(6, 6, root, root, [root])
    with pytest.raises(ValueError):
        consistency_path(0, 6, subtree)
    with pytest.raises(ValueError):
        inclusion_path(6, 6, subtree)
