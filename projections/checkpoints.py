"""Checkpoints for replays: a view's tables as they stood at a log position, kept in the ledger.

A replay to position P starts from the nearest checkpoint at or before P and applies only the
events after it. Checkpoints are a cache: deleting them loses nothing but speed. Each one is
stamped with a fingerprint of its view's code (and of ``FORMAT``), so a changed view never
starts from an old one.

A checkpoint is an image of the replay's private SQLite database (the view's tables with their
indexes, and the private tracking), compressed with zlib and kept in chunks of about
``CHUNK_BYTES`` (``pvb_replay_images``, ``pvb_replay_image_chunks``). Loading one is writing the
file back, not inserting rows; its size and SHA-256 are checked, so a checkpoint deleted or
replaced while it is read is not used. Images are streamed, a chunk at a time, both ways.

Checkpoints hold view rows, which may include personal data decrypted when they were made.
When a person is erased, every checkpoint made before the erasure (plus a margin for key
caches in other processes) is deleted: by CheckpointGuardView as the erasure is projected, and
again by the replayer before it uses any checkpoint. An image is a compact copy made from the
rows (``PrivateDatastore.image``, VACUUM INTO), not the private file itself, whose free space
may still hold pieces of rows changed since (an erasure's overwritten names): what a checkpoint
holds is only what the view held at its position, as when checkpoints were stored as rows.
"""

from __future__ import annotations

import hashlib
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any, ClassVar

from eventsourcing.persistence import IntegrityError

from domain.person import Person
from projections.base import View, handles
from projections.store import SqlCursor, ViewStore
from projections.timekeeping import recorded_at

FORMAT = "sqlite-image+zlib/1"  # how a checkpoint is stored; part of every view's fingerprint
CHUNK_BYTES = 1 << 20  # compressed bytes per stored chunk
CHUNKS_PER_READ = 4  # chunks read per query (each query is its own short transaction)
LEVEL = 1  # zlib level: loads as fast as at 6, saves twice as fast, stores about 10% more
ERASURE_MARGIN = timedelta(minutes=5)  # longer than any process caches a person's key
IMAGES = "pvb_replay_images"
CHUNKS = "pvb_replay_image_chunks"
ROW_FORM_TABLES = ("pvb_replay_checkpoint_rows", "pvb_replay_checkpoints")  # before FORMAT 1


def _columns(postgres: bool) -> dict[str, str]:
    return {
        IMAGES: "view TEXT NOT NULL, position BIGINT NOT NULL, fingerprint TEXT NOT NULL, "
        "max_world_on TEXT, rows_total BIGINT NOT NULL, image_bytes BIGINT NOT NULL, "
        "chunks INTEGER NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (view, position)",
        CHUNKS: "view TEXT NOT NULL, position BIGINT NOT NULL, chunk INTEGER NOT NULL, "
        f"data {'BYTEA' if postgres else 'BLOB'} NOT NULL, PRIMARY KEY (view, position, chunk)",
    }


def stale_before(erased_recorded_at: str) -> str:
    """Checkpoints created before this moment may hold an erased person's data."""
    when = datetime.strptime(erased_recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return recorded_at(when + ERASURE_MARGIN)


def create_tables(cursor: SqlCursor, postgres: bool, existing: set[str] | None = None) -> None:
    """Create the checkpoint tables if missing, and drop those of the row form used before.

    Row-form checkpoints are never read now, so erasures would no longer delete them: they go.
    Given the relations that exist, it asks nothing of the others (see View.create_tables).
    """
    for table in ROW_FORM_TABLES:
        if existing is None or table in existing:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    for table, columns in _columns(postgres).items():
        if existing is None or table not in existing:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")


def delete_created_before(cursor: SqlCursor, moment: str) -> None:
    """Delete every checkpoint created before a moment, its image with it."""
    cursor.execute(
        f"DELETE FROM {CHUNKS} WHERE EXISTS (SELECT 1 FROM {IMAGES} k WHERE k.view = {CHUNKS}.view "
        f"AND k.position = {CHUNKS}.position AND k.created_at < ?)",
        (moment,),
    )
    cursor.execute(f"DELETE FROM {IMAGES} WHERE created_at < ?", (moment,))


@dataclass(frozen=True)
class Checkpoint:
    """Where a checkpoint stands, and what its image must be."""

    view: str
    position: int
    max_world_on: str | None
    rows_total: int
    created_at: str
    image_bytes: int = 0
    chunks: int = 0
    sha256: str = ""


_FIELDS = "view, position, max_world_on, rows_total, created_at, image_bytes, chunks, sha256"


class Checkpoints:
    """The checkpoint store in the ledger's own database."""

    def __init__(self, datastore: Any, schema: str = "public") -> None:
        self.store = ViewStore(datastore, "replay_checkpoints", schema)
        with self.store.transaction() as c:
            create_tables(c, self.store.postgres)

    def best(
        self, view: str, fingerprint: str, position: int, as_of: str | None
    ) -> Checkpoint | None:
        """The latest usable checkpoint at or before position.

        With an "as of" date it must hold no event dated after that date in the world.
        """
        sql = f"SELECT {_FIELDS} FROM {IMAGES} WHERE view = ? AND fingerprint = ? AND position <= ?"
        params: list[Any] = [view, fingerprint, position]
        if as_of is not None:
            sql += " AND (max_world_on IS NULL OR max_world_on <= ?)"
            params.append(as_of)
        with self.store.transaction(commit=False) as c:
            row = c.execute(sql + " ORDER BY position DESC LIMIT 1", params).fetchone()
        return None if row is None else Checkpoint(**row)

    def load(self, checkpoint: Checkpoint, out: IO[bytes]) -> bool:
        """Write a checkpoint's image to out, a chunk at a time; False if it is not whole.

        Not whole: a chunk missing or out of place, or the size or SHA-256 not as recorded (the
        checkpoint was deleted, or saved again, while it was read). Out then holds garbage.
        """
        inflate, digest, written, expected = zlib.decompressobj(), hashlib.sha256(), 0, 0
        while True:
            with self.store.transaction(commit=False) as c:
                found = c.execute(
                    f"SELECT chunk, data FROM {CHUNKS} WHERE view = ? AND position = ? AND chunk >= ? "
                    "ORDER BY chunk LIMIT ?",
                    (checkpoint.view, checkpoint.position, expected, CHUNKS_PER_READ),
                ).fetchall()
            if not found:
                break
            for item in found:
                if int(item["chunk"]) != expected or inflate.eof:
                    return False
                data, expected = bytes(item["data"]), expected + 1
                while data:
                    try:
                        piece = inflate.decompress(data, CHUNK_BYTES)
                    except zlib.error:
                        return False
                    written += len(piece)
                    if written > checkpoint.image_bytes:
                        return False
                    digest.update(piece)
                    out.write(piece)
                    data = inflate.unconsumed_tail
        return (
            inflate.eof and not inflate.unused_data and expected == checkpoint.chunks
            and written == checkpoint.image_bytes and digest.hexdigest() == checkpoint.sha256
        )

    def save(
        self,
        view: str,
        position: int,
        fingerprint: str,
        max_world_on: str | None,
        image: IO[bytes],
        rows_total: int,
        created_at: str,
        directory: str | None = None,
    ) -> None:
        """Store the image read from ``image`` (a file, read to its end) as the view at position.

        It is compressed to a temporary file (in directory) first, so the ledger's database is
        written in one short transaction and no more than a chunk is held in memory.
        """
        with tempfile.TemporaryFile(dir=directory) as spool:
            deflate, digest, size = zlib.compressobj(LEVEL), hashlib.sha256(), 0
            while piece := image.read(CHUNK_BYTES):
                size += len(piece)
                digest.update(piece)
                spool.write(deflate.compress(piece))
            spool.write(deflate.flush())
            spool.seek(0)
            try:
                self._save(view, position, fingerprint, max_world_on, rows_total, created_at,
                           size, digest.hexdigest(), spool)
            except IntegrityError:
                pass  # another process saved the same checkpoint at the same moment: keep theirs

    def _save(
        self, view: str, position: int, fingerprint: str, max_world_on: str | None, rows_total: int,
        created_at: str, size: int, sha: str, spool: IO[bytes],
    ) -> None:
        with self.store.transaction() as c:
            c.execute(f"DELETE FROM {CHUNKS} WHERE view = ? AND position = ?", (view, position))
            c.execute(f"DELETE FROM {IMAGES} WHERE view = ? AND position = ?", (view, position))
            chunk = 0
            while data := spool.read(CHUNK_BYTES):
                c.execute(
                    f"INSERT INTO {CHUNKS} (view, position, chunk, data) VALUES (?, ?, ?, ?)",
                    (view, position, chunk, data),
                )
                chunk += 1
            c.execute(
                f"INSERT INTO {IMAGES} (view, position, fingerprint, max_world_on, rows_total, image_bytes, "
                "chunks, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (view, position, fingerprint, max_world_on, rows_total, size, chunk, sha, created_at),
            )

    def chunks(self, view: str, position: int) -> Iterator[int]:
        """The numbers of a checkpoint's stored chunks (to see what is kept)."""
        with self.store.transaction(commit=False) as c:
            found = c.execute(
                f"SELECT chunk FROM {CHUNKS} WHERE view = ? AND position = ? ORDER BY chunk", (view, position)
            ).fetchall()
        return (int(r["chunk"]) for r in found)

    def purge_created_before(self, moment: str) -> None:
        """Delete checkpoints created before a moment (after an erasure)."""
        with self.store.transaction() as c:
            delete_created_before(c, moment)

    def clear(self, view: str | None = None) -> None:
        """Delete the checkpoints of one view, or all."""
        with self.store.transaction() as c:
            for table in (CHUNKS, IMAGES):
                if view is None:
                    c.execute(f"DELETE FROM {table}")
                else:
                    c.execute(f"DELETE FROM {table} WHERE view = ?", (view,))

    def list(self, view: str | None = None) -> list[Checkpoint]:
        """The checkpoints kept, by view and position."""
        sql = f"SELECT {_FIELDS} FROM {IMAGES}"
        params: tuple[Any, ...] = ()
        if view is not None:
            sql, params = sql + " WHERE view = ?", (view,)
        with self.store.transaction(commit=False) as c:
            rows = c.execute(sql + " ORDER BY view, position", params).fetchall()
        return [Checkpoint(**r) for r in rows]


class CheckpointGuardView(View):
    """Deletes replay checkpoints that may hold a person's data once that person is erased.

    It keeps no tables of its own (so a replay of it is trivially the live view).
    """

    name = "replay_checkpoints"
    tables: ClassVar[dict[str, str]] = {}

    def create_tables(self, cursor: SqlCursor, existing: set[str] | None = None) -> None:
        """Make sure the checkpoint tables exist, so erasures can always be applied."""
        create_tables(cursor, self.view.postgres, existing)

    @handles(Person.Erased)
    def _erased(self, c: SqlCursor, e: Any) -> None:
        delete_created_before(c, stale_before(recorded_at(e.timestamp)))
