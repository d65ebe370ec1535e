#!/usr/bin/env python3
"""Verify a pvb-ledger export bundle offline, recompute a report's figures, and rebuild three views.

Needs only Python's standard library and the 'cryptography' package. Run:

    python3 verify_bundle.py BUNDLE_DIR [--public-key KEY] [--checkpoint FILE] [--json]

It checks the manifest's file hashes; the chain of the ledger's keys; every checkpoint's
Ed25519 signature and every witness countersignature; recomputes every leaf from the events'
stored bytes and the RFC 9162 Merkle root at every checkpoint; checks the consistency and
inclusion proofs; and, given --checkpoint (one you fetched from the ledger earlier), that this
bundle extends it. Then it rebuilds, from the events alone, the ledger's escalation status view,
its per-organisation adherence view and its regulator feedback view, and prints them (--json:
as JSON). A report's bundle (pvb export --report PERIOD) also holds report.json, the frozen report,
and figures/, the ledger's own figure functions: the verifier checks the report's checkpoint and,
if it was published, that the publication event in the log holds exactly this report; then it
recomputes every figure of every section from the bundle's events alone with those functions, and
prints each figure with "matches" or what differs. Exit status: 0 verified (and every figure
matches), 1 not verified (or any figure differs), 2 bad usage.

Pin --public-key (base64, hex or a PEM file; or the key id) to the oldest ledger key you
obtained yourself: otherwise the keys inside the bundle are trusted, and the report says so.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import json
import struct
import sys
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "pvb-ledger-bundle/1"


# ---------------------------------------------------------------------------------------------
# RFC 9162 Merkle tree hashing (section 2.1), the ledger's leaf and checkpoint encodings.
# ---------------------------------------------------------------------------------------------

def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class CompactRange:
    """The right edge of a growing tree; root() is MTH of the leaves so far."""

    def __init__(self) -> None:
        self.size = 0
        self.hashes: list[bytes] = []

    def append(self, h: bytes) -> None:
        level = 0
        while (self.size >> level) & 1:
            h = node_hash(self.hashes.pop(), h)
            level += 1
        self.hashes.append(h)
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return hashlib.sha256(b"").digest()
        r = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            r = node_hash(h, r)
        return r


def verify_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
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


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       path: list[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2 (equal sizes: no path, equal roots)."""
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


def originator_bytes(text: str) -> bytes:
    try:
        return uuid.UUID(text).bytes
    except ValueError:
        return text.encode()


def encode_leaf(position: int, originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    """b"PVB1" | u64 position | u16 len | originator | u64 version | u32 len | topic | u32 len | state."""
    oid, t = originator_bytes(originator_id), topic.encode()
    return (b"PVB1" + struct.pack(">QH", position, len(oid)) + oid
            + struct.pack(">QI", version, len(t)) + t + struct.pack(">I", len(state)) + state)


def checkpoint_body(cp: dict[str, Any]) -> bytes:
    return (f"pvb-ledger checkpoint v1\norigin {cp['origin']}\nsize {cp['size']}\n"
            f"root {cp['root_hash']}\ntime {cp['time']}\nkey {cp['key_id']}\n").encode()


def cosignature_body(body: bytes) -> bytes:
    return b"pvb-ledger cosignature v1\n" + body


def endorsement_body(key: dict[str, Any], raw: bytes) -> bytes:
    return (f"pvb-ledger key endorsement v1\nkey {key['key_id']}\npublic {raw.hex()}\n"
            f"time {key['created_at']}\n").encode()


def key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def signature_ok(public: bytes, signature_b64: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def parse_key(text: str) -> bytes | str:
    """A pinned key: raw bytes from base64, hex or a PEM file, or a 16-digit key id."""
    text = text.strip()
    if Path(text).is_file():
        text = Path(text).read_text().strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if len(text) == 16:
        return text
    raw = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return raw


# ---------------------------------------------------------------------------------------------
# Verification.
# ---------------------------------------------------------------------------------------------

class Verification:
    """Collects problems (the bundle is rejected if there are any) and notes."""

    def __init__(self, bundle: Path) -> None:
        self.bundle = bundle
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.leaf_hashes: dict[int, bytes] = {}
        self.roots: dict[int, bytes] = {}
        self.trusted: dict[str, bytes] = {}
        self.decrypted = 0

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def load(self, name: str) -> Any:
        return json.loads((self.bundle / name).read_text(encoding="utf-8"))

    def manifest(self) -> dict[str, Any]:
        manifest = self.load("manifest.json")
        if manifest.get("format") != FORMAT:
            self.fail(f"unknown bundle format {manifest.get('format')!r}")
        for name, expected in manifest.get("files", {}).items():
            path = self.bundle / name
            if not path.is_file():
                self.fail(f"{name} is listed in the manifest but missing")
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != expected.get("sha256") or path.stat().st_size != expected.get("bytes"):
                self.fail(f"{name} does not match the manifest's SHA-256: it was changed")
        return manifest

    def keys(self, pinned: bytes | str | None) -> dict[str, bytes]:
        """The keys to trust: the whole endorsed chain, or the pinned key and its successors."""
        chain = self.load("keys.json")
        trusted: dict[str, bytes] = {}
        previous: bytes | None = None
        pinned_seen = pinned is None
        for key in chain:
            raw = base64.b64decode(key["public_key"])
            if key_id(raw) != key["key_id"]:
                self.fail(f"key {key['key_id']} does not match its public key")
            if previous is not None:
                if key.get("endorsement"):
                    if not signature_ok(previous, key["endorsement"], endorsement_body(key, raw)):
                        self.fail(f"key {key['key_id']} carries an invalid endorsement")
                else:
                    self.notes.append(f"key {key['key_id']} was not endorsed by its predecessor "
                                      "(the old key was lost): confirm it out of band")
                    if pinned is not None and pinned_seen:
                        pinned_seen = False  # an unendorsed key breaks the chain from the pin
            if pinned is not None and (raw == pinned or pinned == key["key_id"]):
                pinned_seen = True
            if pinned_seen:
                trusted[key["key_id"]] = raw
            previous = raw
        if pinned is None:
            self.notes.append("no --public-key given: trusting the keys inside the bundle "
                              f"({', '.join(trusted)}); compare them with the ledger's published key")
        elif not trusted:
            self.fail("the pinned public key is not among the bundle's keys: it was not signed by that ledger")
        return trusted

    def checkpoints(self, trusted: dict[str, bytes]) -> list[dict[str, Any]]:
        checkpoints = self.load("checkpoints.json")
        for cp in checkpoints:
            body = checkpoint_body(cp)
            if cp.get("body") is not None and cp["body"].encode() != body:
                self.fail(f"checkpoint {cp['size']}: its text does not match its fields")
            public = trusted.get(cp["key_id"])
            if public is None:
                self.fail(f"checkpoint {cp['size']} is signed by key {cp['key_id']}, which you do not trust")
            elif not signature_ok(public, cp["signature"], body):
                self.fail(f"checkpoint {cp['size']} does not carry a valid signature: it was forged or altered")
            for w in cp.get("witnesses", []):
                raw = base64.b64decode(w["public_key"])
                if signature_ok(raw, w["signature"], cosignature_body(body)):
                    self.notes.append(f"checkpoint {cp['size']} countersigned by {w['name']} "
                                      f"(key {key_id(raw)}): valid")
                else:
                    self.fail(f"{w['name']}'s countersignature of checkpoint {cp['size']} is not valid")
        return checkpoints

    def events(self, checkpoints: list[dict[str, Any]], keep: set[int], also: set[int]
               ) -> list[dict[str, Any]]:
        """Recompute every leaf and the root at each checkpoint (and at the sizes in also)."""
        wanted: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for cp in checkpoints:
            wanted[int(cp["size"])].append(cp)
        for size in also:
            wanted.setdefault(size, [])
        edge, last_position = CompactRange(), 0
        decoded: list[dict[str, Any]] = []
        self.roots[0] = edge.root()
        for cp in wanted.get(0, []):
            self._compare(cp, edge.root())
        with (self.bundle / "events.jsonl").open(encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                try:
                    ev = json.loads(line)
                    state = (ev["state_text"].encode("utf-8") if "state_text" in ev
                             else base64.b64decode(ev["state_b64"]))
                except (ValueError, KeyError) as e:
                    self.fail(f"events.jsonl line {number} is malformed ({e})")
                    return decoded
                if ev["index"] != edge.size or ev["position"] <= last_position:
                    self.fail(f"events.jsonl line {number}: events are missing, repeated or out of order")
                    return decoded
                try:
                    readable = json.loads(state)
                except ValueError:
                    readable = None
                if ev.get("state_decrypted"):
                    readable = ev.get("state")  # encrypted at rest: the seal covers the ciphertext
                    self.decrypted += 1
                elif ev.get("state") != readable:
                    self.fail(f"event {ev['position']}: its readable 'state' differs from its stored bytes")
                h = leaf_hash(encode_leaf(ev["position"], ev["originator_id"], ev["originator_version"],
                                          ev["topic"], state))
                edge.append(h)
                if ev["index"] in keep:
                    self.leaf_hashes[ev["index"]] = h
                last_position = ev["position"]
                decoded.append({"position": ev["position"], "originator_id": ev["originator_id"],
                                "version": ev["originator_version"], "topic": ev["topic"],
                                "state": readable if isinstance(readable, dict) else {}})
                if edge.size in wanted:
                    self.roots[edge.size] = edge.root()
                    for cp in wanted[edge.size]:
                        self._compare(cp, self.roots[edge.size])
        self.roots[edge.size] = edge.root()
        if self.decrypted:
            self.notes.append(
                f"{self.decrypted} event(s) are encrypted at rest: the seal covers their ciphertext, "
                "and their readable 'state' (used for the summaries) is the exporter's decryption"
            )
        for size, cps in wanted.items():
            if size > edge.size and cps:
                self.fail(f"checkpoint {size} covers more events than the bundle holds ({edge.size})")
        return decoded

    def _compare(self, cp: dict[str, Any], root: bytes) -> None:
        self.roots[int(cp["size"])] = root
        if root.hex() != cp["root_hash"]:
            self.fail(f"the events do not give checkpoint {cp['size']}'s root: an event was changed, "
                      "removed, added or moved")

    def proofs(self, checkpoints: list[dict[str, Any]]) -> None:
        proofs = self.load("proofs.json")
        roots = {int(cp["size"]): bytes.fromhex(cp["root_hash"]) for cp in checkpoints}
        for p in proofs.get("consistency", []):
            first, second = p["first"], p["second"]
            ok = first in roots and second in roots and verify_consistency(
                first, second, roots[first], roots[second], [bytes.fromhex(h) for h in p["proof"]])
            if not ok:
                self.fail(f"the consistency proof from {first} to {second} does not verify")
        for p in proofs.get("inclusion", []):
            index, size = p["leaf_index"], p["tree_size"]
            h = self.leaf_hashes.get(index)
            ok = h is not None and size in roots and verify_inclusion(
                h, index, size, [bytes.fromhex(x) for x in p["audit_path"]], roots[size])
            if not ok:
                self.fail(f"the inclusion proof of leaf {index} in tree {size} does not verify")

    def held_checkpoint(self, cp: dict[str, Any], trusted: dict[str, bytes]) -> None:
        """Check that the bundle extends a checkpoint fetched from the ledger earlier."""
        public = trusted.get(cp["key_id"])
        if public is None or not signature_ok(public, cp["signature"], checkpoint_body(cp)):
            self.fail(f"your checkpoint {cp['size']} is not validly signed by a trusted key")
        elif int(cp["size"]) not in self.roots:
            self.notes.append(f"your checkpoint {cp['size']} is newer than this bundle: nothing to compare")
        elif self.roots[int(cp["size"])].hex() != cp["root_hash"]:
            self.fail(f"this bundle does not extend your checkpoint {cp['size']}: history was rewritten")
        else:
            self.notes.append(f"this bundle extends your checkpoint {cp['size']}")


def run_checks(bundle: Path, pinned: bytes | str | None, held: str | None
               ) -> tuple[Verification, dict[str, Any], list[dict[str, Any]]]:
    v = Verification(bundle)
    manifest = v.manifest()
    trusted = v.trusted = v.keys(pinned)
    checkpoints = v.checkpoints(trusted)
    size = int(manifest.get("tree_size", 0))
    keep = {p["leaf_index"] for p in v.load("proofs.json").get("inclusion", [])}
    held_cp = json.loads(Path(held).read_text()) if held else None
    also = {int(held_cp["size"])} if held_cp else set()
    report = load_report(bundle)
    if report is not None and report.get("checkpoint"):
        also.add(int(report["checkpoint"]["size"]))
    events = v.events(checkpoints, keep, also)
    if len(events) != size:
        v.fail(f"the bundle holds {len(events)} events; its manifest says {size}")
    if not any(int(cp["size"]) == size for cp in checkpoints):
        v.fail(f"no signed checkpoint covers the bundle's {size} events")
    if held_cp is not None:
        v.held_checkpoint(held_cp, trusted)
    v.proofs(checkpoints)
    return v, manifest, events


# ---------------------------------------------------------------------------------------------
# The views rebuilt from the events' JSON, as the ledger's own projections build them
# (projections/escalation.py, adherence.py with adherence_signals.py, feedback.py): the same
# events, the same rules, no names or free text (those are personal data, encrypted per person).
# Unknown topics are still counted by summarise_topics.
# ---------------------------------------------------------------------------------------------

ORG_FIELDS = ("organisation", "subject_organisation", "about_organisation", "organisation_code")
CLOSED_STAGES = ("resolved", "withdrawn")
CONCERN_MOVES = ("DiscussedByChiefExecutives", "DecidedByAccountableOfficer", "ResolvedByIndependentChair",
                 "HandledByChair", "DiscussedWithIndividual", "ReflectedInPerformanceReview",
                 "FollowUpNotApplicable", "Withdrawn", "Reopened")
VERDICTS = ("adhered", "partly_adhered", "not_adhered")
TENORS = ("positive", "mixed", "concerning")


def plain(value: Any) -> Any:
    """A stored value as plain JSON: dates are stored as {"_type_": "date_iso", "_data_": "..."}."""
    if isinstance(value, dict) and "_type_" in value:
        return value.get("_data_") if value["_type_"] == "date_iso" else None
    return value


def quarter_of(day: str | None) -> str:
    """The NHS financial-year quarter of an ISO date: 2026-04-01 -> '2026-27-Q1'."""
    if not day:
        return "-"
    year, month = int(day[:4]), int(day[5:7])
    start = year if month >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}-Q{(month - 4) % 12 // 3 + 1}"


def aggregate_of(topic: str) -> str:
    """'domain.concern:Concern.Raised' -> 'Concern'."""
    return topic.split(":", 1)[-1].split(".")[0]


def event_name(topic: str) -> str:
    """'domain.concern:Concern.Raised' -> 'Raised'."""
    return topic.split(":", 1)[-1].split(".", 1)[-1]


def organisation_of(event: dict[str, Any], by_originator: dict[str, str]) -> str:
    """The organisation an event is about: a field it carries, or what its aggregate said before."""
    state = event["state"]
    for name in ORG_FIELDS:
        value = state.get(name)
        if isinstance(value, str) and value:
            by_originator.setdefault(event["originator_id"], value)
            return value
    if aggregate_of(event["topic"]) == "Organisation" and isinstance(state.get("code"), str):
        by_originator[event["originator_id"]] = state["code"]
        return state["code"]
    return by_originator.get(event["originator_id"], "-")


def summarise_topics(events: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Events per organisation, counted by event type."""
    by_originator: dict[str, str] = {}
    counts: dict[str, Counter] = defaultdict(Counter)
    for ev in events:
        counts[organisation_of(ev, by_originator)][f"{aggregate_of(ev['topic'])}.{event_name(ev['topic'])}"] += 1
    return {org: dict(sorted(c.items())) for org, c in sorted(counts.items())}


def rebuild_escalation(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The escalation status view: every concern's route, stage, status and dates, with counts."""
    concerns: dict[str, dict[str, Any]] = {}
    for ev in events:
        if aggregate_of(ev["topic"]) != "Concern":
            continue
        state, name, day = ev["state"], event_name(ev["topic"]), plain(ev["state"].get("occurred_on"))
        if name == "Raised":
            concerns[ev["originator_id"]] = {
                "reference": state.get("reference") or "-", "route": state.get("route") or "-",
                "raiser_organisation": state.get("raiser_organisation") or "-",
                "subject_organisation": state.get("subject_organisation") or "-",
                "stage": state.get("stage") or "-", "status": "open", "raised_on": day, "stage_since": day,
                "stage_version": ev["version"], "closed_on": None, "closing_version": None,
                "resolution_level": None, "events": 1,
            }
            continue
        c = concerns.get(ev["originator_id"])
        if c is None:
            continue
        c["events"] += 1
        if name in CONCERN_MOVES and isinstance(state.get("stage"), str):
            c["stage"] = state["stage"]
            if state["stage"] in CLOSED_STAGES:
                c.update(status=state["stage"], closed_on=day, closing_version=ev["version"],
                         resolution_level=state.get("resolution_level"))
            else:
                c.update(status="open", stage_since=day, stage_version=ev["version"], closed_on=None,
                         closing_version=None, resolution_level=None)
        elif name == "StepCorrected" and plain(state.get("corrected_occurred_on")):
            fixed, corrects = plain(state["corrected_occurred_on"]), state.get("corrects")
            if corrects == 1:
                c["raised_on"] = fixed
            if corrects == c["stage_version"] and c["status"] == "open":
                c["stage_since"] = fixed
            if corrects == c["closing_version"]:
                c["closed_on"] = fixed
    rows = sorted(concerns.values(), key=lambda c: (len(c["reference"]), c["reference"]))
    for row in rows:
        del row["stage_version"], row["closing_version"]
    by_org: dict[str, Counter] = defaultdict(Counter)
    for c in rows:
        by_org[c["subject_organisation"]][c["stage"]] += 1
    return {
        "concerns": rows,
        "by_stage": dict(sorted(Counter(c["stage"] for c in rows).items())),
        "by_route": dict(sorted(Counter(c["route"] for c in rows).items())),
        "resolved_at_level": dict(sorted(Counter(c["resolution_level"] for c in rows
                                                 if c["resolution_level"]).items())),
        "by_organisation": {org: dict(sorted(c.items())) for org, c in sorted(by_org.items())},
    }


def rebuild_feedback(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The regulator feedback view: each item by organisation, giver and quarter, its examples' dates,
    corrections and the Independent Chair's responses."""
    items: dict[str, dict[str, Any]] = {}
    for ev in events:
        if aggregate_of(ev["topic"]) != "Feedback":
            continue
        state, name, day = ev["state"], event_name(ev["topic"]), plain(ev["state"].get("occurred_on"))
        if name in ("Given", "ImplementationCommented"):
            items[ev["originator_id"]] = {
                "id": ev["originator_id"],
                "kind": "implementation" if name == "ImplementationCommented" else "adherence",
                "organisation": state.get("organisation") or "-",
                "from_organisation": state.get("from_organisation") or "-",
                "from_kind": state.get("from_kind") or "-", "given_on": day, "quarter": quarter_of(day),
                "tenor": state.get("tenor") or "-", "citations": list(state.get("citations") or []),
                "examples": [plain(x.get("occurred_on")) for x in state.get("examples") or [] if isinstance(x, dict)],
                "corrections": 0, "responses": [],
            }
            continue
        item = items.get(ev["originator_id"])
        if item is None:
            continue
        if name == "Corrected":
            item["corrections"] += 1
            item["tenor"] = state.get("tenor") or item["tenor"]
            if isinstance(state.get("examples"), list):
                item["examples"] = [plain(x.get("occurred_on")) for x in state["examples"] if isinstance(x, dict)]
        elif name == "Responded":
            item["responses"].append({"responded_on": day, "action": state.get("action") or "-"})
    rows = sorted(items.values(), key=lambda i: (i["given_on"] or "", i["id"]))
    table: dict[str, dict[str, dict[str, Counter]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(Counter)))
    for i in rows:
        cell = table[i["organisation"]][i["from_organisation"]][i["quarter"]]
        cell[i["tenor"]] += 1
        cell["responded" if i["responses"] else "awaiting response"] += 1
    return {
        "items": rows,
        "responded": sum(1 for i in rows if i["responses"]),
        "by_organisation": {org: {giver: {q: dict(sorted(c.items())) for q, c in sorted(qs.items())}
                                  for giver, qs in sorted(givers.items())}
                            for org, givers in sorted(table.items())},
    }


def _favourable_of(questions: list[Any]) -> dict[str, set[str]]:
    return {q["key"]: set(q.get("favourable") or []) for q in questions if isinstance(q, dict) and "key" in q}


def rebuild_adherence(events: list[dict[str, Any]], escalation: dict[str, Any] | None = None,
                      feedback: dict[str, Any] | None = None) -> dict[str, dict[str, dict[str, int]]]:
    """The adherence view: for each organisation and quarter, its attendees' closing votes (named,
    as last corrected, and anonymous tallies), the panel survey and the all-staff questions
    (favourable answers, answers, respondents), the concerns raised about its people and how they
    ended, and the count and tenor of regulator and HWB feedback."""
    escalation = escalation or rebuild_escalation(events)
    feedback = feedback or rebuild_feedback(events)
    meetings: dict[str, str] = {}  # meeting -> quarter held
    votes: dict[tuple[str, str], tuple[str, str]] = {}  # (meeting, person) -> (organisation, verdict)
    tallies: dict[tuple[str, str], tuple[int, int, int]] = {}
    surveys: dict[str, dict[str, Any]] = {}
    answers: dict[tuple[str, str, str, str], int] = defaultdict(int)  # (survey, org, question, answer) -> n
    respondents: dict[tuple[str, str, str], int] = defaultdict(int)  # (survey, org, question) -> n
    for ev in events:
        aggregate, name, state, oid = aggregate_of(ev["topic"]), event_name(ev["topic"]), ev["state"], ev["originator_id"]
        if aggregate == "Meeting":
            if name == "Recorded":
                meetings.setdefault(oid, quarter_of(plain(state.get("occurred_on"))))
            elif name == "VoteCast":
                votes.setdefault((oid, str(state.get("person_id"))), (state.get("organisation") or "-", state.get("verdict")))
            elif name == "VoteCorrected" and (oid, str(state.get("person_id"))) in votes:
                org, _ = votes[(oid, str(state.get("person_id")))]
                votes[(oid, str(state.get("person_id")))] = (org, state.get("verdict"))
            elif name in ("TallyRecorded", "TallyCorrected"):
                tallies[(oid, state.get("organisation") or "-")] = tuple(  # type: ignore[assignment]
                    int(state.get(v) or 0) for v in VERDICTS)
        elif aggregate == "Survey":
            if name == "Opened":
                surveys[oid] = {"kind": state.get("kind"), "quarter": state.get("period") or "-",
                                "favourable": _favourable_of(state.get("questions") or [])}
            elif oid not in surveys:
                continue
            elif name == "MappingSaved":
                surveys[oid]["favourable"] = _favourable_of((state.get("mapping") or {}).get("questions") or [])
            elif name == "ResponsesImported":
                for r in state.get("responses") or []:
                    org = r.get("organisation") or ""
                    for question, answer in (r.get("answers") or {}).items():
                        answers[(oid, org, question, answer)] += 1
                        respondents[(oid, org, question)] += 1
            elif name in ("AllStaffResultsRecorded", "AllStaffResultsCorrected"):
                org, question, counts = state.get("organisation") or "", state.get("question"), state.get("counts") or {}
                for key in [k for k in answers if k[:3] == (oid, org, question)]:
                    del answers[key]
                for answer, n in counts.items():
                    if n:
                        answers[(oid, org, question, answer)] = int(n)
                respondents[(oid, org, question)] = sum(int(n) for n in counts.values())
    cells: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for (meeting, _), (org, verdict) in votes.items():
        if verdict in VERDICTS:
            cells[org][meetings.get(meeting, "-")][verdict] += 1
    for (meeting, org), counts in tallies.items():
        for verdict, n in zip(VERDICTS, counts, strict=True):
            cells[org][meetings.get(meeting, "-")][verdict] += n
    for (sid, org, question, answer), n in answers.items():
        survey = surveys[sid]
        if not org:
            continue
        prefix = "panel" if survey["kind"] == "panel" else "staff"
        cell = cells[org][survey["quarter"]]
        cell[f"{prefix}_answers"] += n
        cell[f"{prefix}_favourable"] += n if answer in survey["favourable"].get(question, ()) else 0
    most: dict[tuple[str, str], int] = defaultdict(int)
    for (sid, org, _), n in respondents.items():
        most[(sid, org)] = max(most[(sid, org)], n)
    for (sid, org), n in most.items():
        if org:
            prefix = "panel" if surveys[sid]["kind"] == "panel" else "staff"
            cells[org][surveys[sid]["quarter"]][f"{prefix}_respondents"] += n
    for c in escalation["concerns"]:
        cell = cells[c["subject_organisation"]][quarter_of(c["raised_on"])]
        cell["concerns"] += 1
        cell["concerns_" + (c["status"] if c["status"] in CLOSED_STAGES else "open")] += 1
    for i in feedback["items"]:
        cell = cells[i["organisation"]][i["quarter"]]
        cell["feedback"] += 1
        cell[f"feedback_{i['tenor']}"] += 1
    return {org: {q: {k: v for k, v in sorted(c.items()) if v} for q, c in sorted(qs.items())}
            for org, qs in sorted(cells.items())}


def summaries(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The three views rebuilt from the bundle's events, and every event counted by organisation."""
    escalation, feedback = rebuild_escalation(events), rebuild_feedback(events)
    return {
        "escalation": escalation,
        "adherence": rebuild_adherence(events, escalation, feedback),
        "regulator_feedback": feedback,
        "events_by_organisation": summarise_topics(events),
    }


def _pairs(counts: dict[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items()) or "none"


def print_summaries(data: dict[str, Any]) -> None:
    """Print the rebuilt views as plain text."""
    esc = data["escalation"]
    print(f"\nEscalation status view: {len(esc['concerns'])} concern(s)")
    print(f"  {'concern':<8} {'route':<26} {'about':<8} {'raised':<11} {'stage':<20} {'closed':<11} level")
    for c in esc["concerns"]:
        print(f"  {c['reference']:<8} {c['route']:<26} {c['subject_organisation']:<8} {c['raised_on'] or '-':<11} "
              f"{c['stage']:<20} {c['closed_on'] or '-':<11} {c['resolution_level'] or '-'}")
    for key in ("by_stage", "by_route", "resolved_at_level"):
        print(f"  {key.replace('_', ' ')}: {_pairs(esc[key])}")
    print("\nAdherence view (by organisation and quarter: votes, surveys, concerns, feedback):")
    for org, quarters in data["adherence"].items() or [("none", {})]:
        for quarter, counts in quarters.items():
            print(f"  {org:<8} {quarter:<11} {_pairs(counts)}")
    fb = data["regulator_feedback"]
    print(f"\nRegulator feedback view: {len(fb['items'])} item(s), {fb['responded']} responded to")
    for org, givers in fb["by_organisation"].items():
        for giver, quarters in givers.items():
            for quarter, counts in quarters.items():
                print(f"  {org:<8} from {giver:<6} {quarter:<11} {_pairs(counts)}")
    for i in fb["items"]:
        responses = "; ".join(f"{r['action'].replace('_', ' ')} {r['responded_on']}" for r in i["responses"])
        print(f"  {i['given_on']} {i['from_organisation']} on {i['organisation']} ({i['kind']}): {i['tenor']}, "
              f"{len(i['examples'])} example(s){', corrected' if i['corrections'] else ''}; "
              f"{responses or 'awaiting response'}")
    print("\nEvents by organisation and type:")
    for org, counts in data["events_by_organisation"].items():
        print(f"  {org:<8} {sum(counts.values()):>6}  " + ", ".join(f"{k} {v}" for k, v in counts.items()))


# ---------------------------------------------------------------------------------------------
# A report's figures, recomputed from the bundle's events with the ledger's own figure functions.
# ---------------------------------------------------------------------------------------------

def load_report(bundle: Path) -> dict[str, Any] | None:
    """The frozen report of a report's bundle (report.json), or None for a plain bundle."""
    path = bundle / "report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def load_figures(bundle: Path) -> Any:
    """The bundle's figures/ package (domain/figures of the ledger that drew the report, as it is)."""
    init = bundle / "figures" / "__init__.py"
    spec = importlib.util.spec_from_file_location("pvb_report_figures", init,
                                                  submodule_search_locations=[str(init.parent)])
    if spec is None or spec.loader is None:
        raise ImportError(f"{init} cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def figures_digest(bundle: Path) -> str:
    """One SHA-256 over the figure functions' files (name and bytes), to compare with the ledger's release."""
    digest = hashlib.sha256()
    for path in sorted((bundle / "figures").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def canonical_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode()).hexdigest()


def check_report(bundle: Path, report: dict[str, Any], v: Verification, trusted: dict[str, bytes],
                 events: list[dict[str, Any]]) -> dict[str, Any]:
    """Check the report against the log and recompute its figures; problems go to v, figures are returned."""
    frozen = report["figures"]
    cp = report.get("checkpoint")
    if cp:
        public = trusted.get(cp["key_id"])
        if public is None or not signature_ok(public, cp["signature"], checkpoint_body(cp)):
            v.fail(f"the report's checkpoint {cp['size']} is not validly signed by a key you trust")
        elif v.roots.get(int(cp["size"]), b"").hex() != cp["root_hash"]:
            v.fail(f"the bundle's events do not give the root of the report's checkpoint {cp['size']}")
    if report.get("content") is not None:
        content = report["content"]
        if canonical_hash(content) != report.get("content_hash"):
            v.fail("the report's content does not match its SHA-256")
        if content.get("figures") != frozen:
            v.fail("the report's figures differ from the figures in its published content")
        published = next((e for e in events if e["position"] == report.get("published_at_position")), None)
        if (published is None or not published["topic"].endswith(":Report.Published")
                or published["state"].get("content") != content
                or published["state"].get("content_hash") != report.get("content_hash")):
            v.fail(f"the log's event at position {report.get('published_at_position')} is not this report's "
                   "publication: the report is not the one the ledger published")
    figures = load_figures(bundle)
    records = [figures.make_record(e["position"], e["originator_id"], e["version"], e["topic"], e["state"])
               for e in events if e["position"] <= int(frozen["position"])]
    recomputed = figures.draw(frozen["kind"], frozen["period"], records, position=int(frozen["position"]),
                              as_of=frozen["as_of"], bank_holidays=frozen["bank_holidays"],
                              escalation_target_days=frozen["escalation_target_days"])
    rows = figures.compare(frozen, recomputed)
    return {"kind": frozen["kind"], "period": frozen["period"], "edition": report.get("edition"),
            "status": report.get("status"), "position": frozen["position"], "as_of": frozen["as_of"],
            "figures_sha256": figures_digest(bundle), "figures": rows,
            "differ": [r["name"] for r in rows if not r["matches"]]}


def print_report_check(data: dict[str, Any]) -> None:
    """Print each figure with 'matches' or what differs."""
    what = f"{data['kind'].replace('_', ' ')} report {data['period']}"
    if data.get("edition"):
        what += f", edition {data['edition']} ({data['status']})"
    print(f"\nFigures of the {what}, recomputed from the events up to position {data['position']} "
          f"(counted to {data['as_of']}; figure functions SHA-256 {data['figures_sha256']}):")
    for row in data["figures"]:
        if row["matches"]:
            print(f"  matches: {row['name']} = {json.dumps(row['frozen'], ensure_ascii=False)}")
        else:
            print(f"  DIFFERS: {row['name']}: the report says {json.dumps(row['frozen'], ensure_ascii=False)}, "
                  f"the events give {json.dumps(row['recomputed'], ensure_ascii=False)}")
    differ = data["differ"]
    if differ:
        print(f"FIGURES DIFFER: {len(differ)} of {len(data['figures'])} figure(s) differ from what the events give: "
              + "; ".join(differ[:10]) + (" ..." if len(differ) > 10 else ""))
    else:
        print(f"FIGURES MATCH: all {len(data['figures'])} figures match what the events give")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a pvb-ledger export bundle offline.")
    parser.add_argument("bundle", nargs="?", default=str(Path(__file__).resolve().parent))
    parser.add_argument("--public-key", help="the ledger key you trust: base64, hex, PEM file or key id")
    parser.add_argument("--checkpoint", help="a checkpoint JSON you fetched from the ledger earlier")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    bundle = Path(args.bundle)
    try:
        pinned = parse_key(args.public_key) if args.public_key else None
    except ValueError as e:
        print(f"error: --public-key: {e}", file=sys.stderr)
        return 2
    if not (bundle / "manifest.json").is_file():
        print(f"error: {bundle} holds no manifest.json", file=sys.stderr)
        return 2
    try:
        v, manifest, events = run_checks(bundle, pinned, args.checkpoint)
        report = load_report(bundle)
        report_check = None
        if report is not None:
            report_check = check_report(bundle, report, v, v.trusted, events)
    except (OSError, ValueError, KeyError, TypeError, ImportError) as e:
        print(f"NOT VERIFIED: the bundle is unreadable ({type(e).__name__}: {e})")
        return 1
    verified = not v.problems
    size = int(manifest.get("tree_size", 0))
    root = v.roots.get(size, b"").hex()
    data = summaries(events)
    figures_match = report_check is None or not report_check["differ"]
    if args.json:
        print(json.dumps({"verified": verified, "figures_match": figures_match, "events": size, "root": root,
                          "problems": v.problems, "notes": v.notes, "report": report_check, "summaries": data},
                         indent=2, ensure_ascii=False))
    else:
        if verified:
            print(f"VERIFIED: {size} events, root {root}, signed by key {manifest.get('key_id')}")
        else:
            print(f"NOT VERIFIED: {v.problems[0]}")
            for p in v.problems[1:]:
                print(f"  also: {p}")
        for note in v.notes:
            print(f"  note: {note}")
        print_summaries(data)
        if report_check is not None:
            print_report_check(report_check)
    return 0 if verified and figures_match else 1


if __name__ == "__main__":
    sys.exit(main())
