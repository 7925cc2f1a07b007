"""Finished shards of a distributed batch run: part files and a manifest beside OUTPUT.

The ray engine's actors finish records in any order and any of them may die, so progress
is kept per shard (`batch.ray.shard_size` consecutive input records) rather than per
record: when every record of a shard is back, the driver writes the shard's JSONL lines to
`OUTPUT.shards/part-NNNNNN.jsonl` and then records it in `manifest.json` (each written to
a temporary name, fsynced and renamed, so a kill leaves either the old manifest or the new
one). A shard is finished exactly when the manifest lists it; `--resume` skips those,
after checking that the input still has the same ids there, and the driver assembles
OUTPUT from the part files in input order at the end. No Ray here: this is plain files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import UserError

MANIFEST = "manifest.json"
_KEY = "summarizer_batch_shards"


def shards_folder(target: Path) -> Path:
    """Where a ray-engine run over OUTPUT keeps its finished shards."""
    return target.with_name(target.name + ".shards")


def ids_digest(ids: Iterable[str]) -> str:
    """A fingerprint of a shard's ids, in order: a resumed run's shard must match it."""
    digest = hashlib.sha256()
    for doc_id in ids:
        digest.update(doc_id.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


@dataclass(frozen=True)
class Shard:
    """A finished shard as the manifest lists it."""

    index: int
    records: int
    errors: int
    digest: str

    @property
    def file(self) -> str:
        return f"part-{self.index:06d}.jsonl"


class ShardStore:
    """`OUTPUT.shards/` for one run over `source`: what is finished, and writing more.

    Everything is checked here, before any model loads: a folder that is not ours is left
    alone; one from a run over another input, record count or shard size cannot be
    resumed; one with finished shards is not thrown away without `overwrite`.
    """

    def __init__(
        self,
        target: Path,
        source: Path,
        total: int,
        shard_size: int,
        *,
        resume: bool,
        overwrite: bool,
    ) -> None:
        self.folder = shards_folder(target)
        self.shard_size = shard_size
        self.facts = {"input": str(source.resolve()), "total": total, "shard_size": shard_size}
        self.finished: dict[int, Shard] = {}
        manifest = self._read_manifest()
        if manifest is not None and manifest["shards"] and not (resume or overwrite):
            raise UserError(
                f"{self.folder} holds finished shards of an earlier run; pass --resume to "
                "continue it or --overwrite to start over"
            )
        if manifest is not None and resume:
            self._continue(manifest)
        else:
            self._start()

    def _read_manifest(self) -> dict[str, Any] | None:
        """The manifest of an earlier run, None when there is none; anything else there
        is refused (it may be the user's)."""
        if not self.folder.exists():
            return None
        path = self.folder / MANIFEST
        if not self.folder.is_dir() or (not path.is_file() and any(self.folder.iterdir())):
            raise UserError(
                f"{self.folder} exists and was not written by `summarizer batch` (no "
                f"{MANIFEST}), so it is left as it is; move it away or choose another -o"
            )
        if not path.is_file():
            return None
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if not (isinstance(manifest, dict) and _KEY in manifest):
                raise ValueError("no manifest key")
        except (OSError, ValueError):
            raise UserError(
                f"{path} is not a `summarizer batch` manifest, so {self.folder} is left as it "
                "is; move it away or choose another -o"
            ) from None
        return manifest

    def _continue(self, manifest: dict[str, Any]) -> None:
        for key, value in self.facts.items():
            if manifest.get(key) != value:
                setting = "--set batch.ray.shard_size=" if key == "shard_size" else ""
                hint = f"resume with {setting}{manifest.get(key)}" if setting else "resume it"
                raise UserError(
                    f"{self.folder} continues a run with {key} {manifest.get(key)!r}, not "
                    f"{value!r}; {hint} as it was, or pass --overwrite"
                )
        for entry in manifest["shards"]:
            shard = Shard(**entry)
            if (self.folder / shard.file).is_file():
                self.finished[shard.index] = shard

    def _start(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        self._write_manifest()

    def expected(self, index: int) -> Shard | None:
        """The finished shard `index`, if the earlier run finished it."""
        return self.finished.get(index)

    def check(self, shard: Shard, digest: str, first_id: str) -> None:
        """Refuse to resume a shard whose input ids changed since it was written."""
        if shard.digest != digest:
            raise UserError(
                f"{self.folder / shard.file} does not continue this input: its records are "
                f"not the input's from {first_id!r} on; choose another output or pass "
                "--overwrite"
            )

    def write(self, index: int, lines: list[bytes], errors: int, digest: str) -> Shard:
        """Make shard `index` durable: its part file, then its manifest entry."""
        shard = Shard(index, len(lines), errors, digest)
        path = self.folder / shard.file
        _durable_write(path, b"".join(lines))
        self.finished[index] = shard
        self._write_manifest()
        return shard

    def _write_manifest(self) -> None:
        shards = [vars(self.finished[i]) for i in sorted(self.finished)]
        data = {_KEY: 1, **self.facts, "shards": shards}
        _durable_write(self.folder / MANIFEST, json.dumps(data, indent=1).encode() + b"\n")

    def parts(self, count: int) -> Iterable[bytes]:
        """The part files of shards 0..count-1 in order, each read whole (one shard)."""
        for index in range(count):
            yield (self.folder / self.finished[index].file).read_bytes()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _durable_write(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a temporary file, fsynced, then renamed."""
    partial = path.with_name(path.name + ".tmp")
    try:
        with partial.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror or exc.__class__.__name__
        raise UserError(
            f"{path}: cannot write it ({reason}); the finished shards are kept: fix that "
            "and rerun with --resume"
        ) from None
