"""Batch outputs: JSONL, Parquet or CSV by extension, written so a killed run can resume.

Every result goes first to a JSONL journal next to the output, `OUT.partial.jsonl`,
appended, flushed and fsynced chunk by chunk, and the journal becomes the output when the
run completes: a Parquet file is unreadable until its footer is written, a CSV row cut off
by a kill can look like a complete one, and a JSONL output read mid-run would look whole.

The journal's first line is a header naming it as a `summarizer batch` journal and naming
its input. A file without that header is never resumed, converted, truncated or deleted:
it may be anything the user keeps there. Neither the output nor its journal may be the
input itself, however it is reached (a hard link, a symlink): compared by file identity,
not by path.

A kill can land mid-write and leave the journal's last line torn (no newline); `Output.done`
cuts that line off, so its record is redone. Every complete line is a finished record.
Every failure to write (no permission, a full disk) is one `UserError` line that says
what was kept.
"""

from __future__ import annotations

import errno
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from summarizer.errors import UserError
from summarizer.io.formats import (
    DONE_READERS,
    WRITERS,
    Done,
    format_by_suffix,
    json_line,
    jsonl_records,
)
from summarizer.io.sources import regular_file
from summarizer.types import Result

log = logging.getLogger(__name__)

OUTPUT_FORMATS = {".jsonl": "jsonl", ".parquet": "parquet", ".csv": "csv"}
JOURNAL_SUFFIX = ".partial.jsonl"
_HEADER_KEY = "summarizer_batch_journal"
_HEADER_MAX = 65536


def output_format(path: Path) -> str:
    fix = f"end the name with {', '.join(OUTPUT_FORMATS)}"
    return format_by_suffix(path, OUTPUT_FORMATS, "output", fix)


@contextmanager
def _writing(path: Path, kept: str) -> Iterator[None]:
    """Turn a failed write (permission, full disk, a file where a folder should be) into
    one line saying what failed and what was `kept`."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise UserError(f"{path}: cannot write it ({reason}); {kept}") from None


class Output:
    """The output of one batch run over `source`, possibly continuing an interrupted one.

    Use as a context manager: `append` chunks of results, then `finish`. Everything that
    can be checked is checked here, before any model loads.
    """

    def __init__(
        self, path: Path, source: Path, *, resume: bool = False, overwrite: bool = False
    ) -> None:
        if resume and overwrite:
            raise UserError("--resume and --overwrite contradict each other; pass one of them")
        self.path, self.format = path, output_format(path)
        self.journal = path.with_name(path.name + JOURNAL_SUFFIX)
        self.input = str(source.resolve())
        _check_target(path, self.journal, source)
        if path.exists() and not (resume or overwrite):
            raise UserError(
                f"{path} already exists; pass --resume to continue that run "
                "or --overwrite to start over"
            )
        # An output without a journal is a completed run: nothing to append to.
        self.finished = resume and path.exists() and not self.journal.exists()
        self._handle: Any = None
        if not self.finished:
            with _writing(self.journal, "nothing was written"):
                if path.parent.exists() and not path.parent.is_dir():
                    raise NotADirectoryError(errno.ENOTDIR, f"{path.parent} is not a folder")
                path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = self.journal.open("a+b")
            try:
                _lock(self._handle, path)
                self._start(resume, overwrite)
            except BaseException:
                self.__exit__()
                raise

    def _start(self, resume: bool, overwrite: bool) -> None:
        """Continue the journal, or start it over when there is nothing in it to lose."""
        header, has_records = _journal_state(self._handle, self.journal)
        if has_records and not (resume or overwrite):
            raise UserError(
                f"{self.journal} already exists; pass --resume to continue that run "
                "or --overwrite to start over"
            )
        if has_records and resume:
            if header.get("input") != self.input:
                raise UserError(
                    f"{self.journal} continues a run over {header.get('input')}, not "
                    f"{self.input}; resume it with that input, or pass --overwrite"
                )
            return
        with _writing(self.journal, "nothing was written"):
            if overwrite:
                self.path.unlink(missing_ok=True)
            self._handle.truncate(0)
            line = json.dumps({_HEADER_KEY: 1, "input": self.input}, ensure_ascii=False)
            self._handle.write(line.encode("utf-8", "backslashreplace") + b"\n")
            self._sync()

    def done(self) -> Iterator[Done]:
        """Records an earlier run wrote, in order; a torn last journal line is cut off first."""
        if self.finished:
            yield from _finished_done(self.path, self.format)
        else:
            _cut_torn_tail(self.journal)
            for record in jsonl_records(self.journal, header=True):
                yield Done(str(record["id"]), record.get("error") is not None)

    def __enter__(self) -> Output:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _sync(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def append(self, results: list[Result]) -> None:
        """Append one chunk and make it durable before the next chunk starts."""
        self.append_lines(b"".join(json_line(r.to_dict()) for r in results))

    def append_lines(self, lines: bytes) -> None:
        """Append records already written as JSONL lines (the ray engine's part files),
        durably."""
        kept = "the chunks before this one are saved: fix that and rerun with --resume"
        with _writing(self.journal, kept):
            self._handle.seek(0, os.SEEK_END)
            self._handle.write(lines)
            self._sync()

    def finish(self) -> None:
        """Convert the journal into the output (still holding the journal's lock), then
        remove the journal."""
        if self.finished:
            return
        partial = self.path.with_name(self.path.name + ".tmp")
        kept = f"every result is kept in {self.journal}: fix that and rerun with --resume"
        try:
            with _writing(self.path, kept):
                partial.unlink(missing_ok=True)  # never write through a link left there
                WRITERS[self.format](self.journal, partial)
                os.replace(partial, self.path)
        except UserError:
            partial.unlink(missing_ok=True)
            raise
        self.journal.unlink()
        self.__exit__()


def _check_target(path: Path, journal: Path, source: Path) -> None:
    """Refuse an output that would harm the input or another run's journal."""
    if path.name.lower().endswith(JOURNAL_SUFFIX):
        raise UserError(
            f"{path}: names ending in {JOURNAL_SUFFIX} are batch journals; choose another -o"
        )
    if path.is_dir():
        raise UserError(f"{path} is a folder; -o needs a file name")
    for target in (path, journal):
        if not target.exists():
            continue
        regular_file(target, hint="choose another -o")
        if source.exists() and os.path.samefile(source, target):
            raise UserError(
                f"{target} is the input {source} (the same file, maybe through a link): "
                "the output would overwrite the input; choose another -o"
            )


def _journal_state(handle: Any, journal: Path) -> tuple[dict[str, Any], bool]:
    """The journal's header and whether any record follows it.

    An empty file holds nothing to lose; any other file must start with our header.
    """
    handle.seek(0)
    first = handle.readline(_HEADER_MAX)
    if not first:
        return {}, False
    try:
        header = json.loads(first)
    except (json.JSONDecodeError, UnicodeDecodeError):
        header = None
    if not (first.endswith(b"\n") and isinstance(header, dict) and _HEADER_KEY in header):
        raise UserError(
            f"{journal} was not written by `summarizer batch` (no journal header), so it is "
            "left as it is; move it away or choose another -o"
        )
    return header, bool(handle.read(1))


def _lock(handle: Any, path: Path) -> None:
    """Hold an exclusive advisory lock on the journal for the rest of the run.

    Two runs appending to one output would duplicate records; the OS releases the lock
    when the process ends, however it ends, so a killed run never blocks its `--resume`.
    (Windows has no `fcntl`; there the check is skipped.)
    """
    try:
        import fcntl
    except ImportError:
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise UserError(
            f"{path} is being written by another running `summarizer batch`; "
            "let it finish or stop it first"
        ) from None


def _cut_torn_tail(path: Path) -> None:
    """Truncate `path` after its last newline: a line without one was cut by a kill."""
    with path.open("r+b") as handle:
        size = end = handle.seek(0, os.SEEK_END)
        keep = 0
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            newline = handle.read(end - start).rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        if keep < size:
            handle.truncate(keep)
            log.warning(
                "%s: removed a torn last record (%d bytes) left by an interrupted run; "
                "it will be redone",
                path,
                size - keep,
            )


def _finished_done(path: Path, fmt: str) -> Iterator[Done]:
    """The records of a finished output; one that cannot be read as ours is one line."""
    try:
        yield from DONE_READERS[fmt](path)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyarrow and csv raise many types
        detail = " ".join(f"{exc.__class__.__name__}: {exc}".split())
        raise UserError(
            f"{path}: not readable as the output of `summarizer batch` ({detail}); "
            "choose another -o or pass --overwrite"
        ) from None
