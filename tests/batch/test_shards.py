"""The ray engine's finished shards (`summarizer.batch.shards`): plain files, no Ray. What
a resumed run may trust, and what it must refuse before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.batch.shards import ShardStore, ids_digest, shards_folder
from summarizer.errors import UserError


def store(tmp_path: Path, *, total: int = 10, size: int = 4, **flags: bool) -> ShardStore:
    source = tmp_path / "in.jsonl"
    source.touch()
    options = {"resume": False, "overwrite": False, **flags}
    return ShardStore(tmp_path / "out.jsonl", source, total, size, **options)


def test_a_resumed_store_keeps_the_finished_shards_and_their_counts(tmp_path: Path) -> None:
    first = store(tmp_path)
    first.write(1, [b'{"id": "e"}\n', b'{"id": "f"}\n'], 1, ids_digest(["e", "f"]))
    again = store(tmp_path, resume=True)
    shard = again.expected(1)
    assert shard is not None and (shard.records, shard.errors) == (2, 1)
    assert again.expected(0) is None
    again.check(shard, ids_digest(["e", "f"]), "e")
    with pytest.raises(UserError, match="does not continue this input"):
        again.check(shard, ids_digest(["e", "g"]), "e")


def test_finished_shards_are_not_thrown_away_without_overwrite(tmp_path: Path) -> None:
    store(tmp_path).write(0, [b"{}\n"], 0, ids_digest(["a"]))
    with pytest.raises(UserError, match="pass --resume to continue it or --overwrite"):
        store(tmp_path)
    assert store(tmp_path, overwrite=True).expected(0) is None
    assert not (shards_folder(tmp_path / "out.jsonl") / "part-000000.jsonl").exists()


def test_another_shard_size_or_input_size_cannot_be_resumed(tmp_path: Path) -> None:
    store(tmp_path).write(0, [b"{}\n"], 0, ids_digest(["a"]))
    with pytest.raises(UserError, match=r"shard_size 4, not 5; resume with --set batch.ray"):
        store(tmp_path, size=5, resume=True)
    with pytest.raises(UserError, match="total 10, not 11"):
        store(tmp_path, total=11, resume=True)


def test_a_folder_that_is_not_ours_is_left_alone(tmp_path: Path) -> None:
    folder = shards_folder(tmp_path / "out.jsonl")
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    for flags in ({}, {"overwrite": True}, {"resume": True}):
        with pytest.raises(UserError, match="was not written by `summarizer batch`"):
            store(tmp_path, **flags)
    assert (folder / "notes.txt").read_text() == "mine"
