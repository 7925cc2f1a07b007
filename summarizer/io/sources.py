"""Reading one document from a file, stdin or URL, with clear errors for bad input.

Every read is bounded by the bytes actually read, never by what `stat` reports: a file
that grows, a symlink to /dev/zero or a server that never stops all stop at `max_bytes`.
Only regular files are opened (opening a FIFO blocks, a device never ends), and every
check happens before heavy work: a regular file's size is known before it is read, so a
50 MB file is refused at once instead of being loaded and embedded.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from summarizer.errors import UserError
from summarizer.segment.html import looks_like_html

_SNIFF_BYTES = 8192
_STRAY_NUL_RATIO = 1000
_INPUT_HINT = "copy what you need into a file (`run` also reads - for stdin)"
# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_text(text: str, source: str) -> str:
    """Refuse text no stage can use: empty, whitespace-only, or binary that slipped in.

    A NUL byte means binary, except a stray one in a web page (under one character in a
    thousand): old crawls carry them, browsers skip them, and so does the HTML parser here.
    """
    if not text.strip():
        raise UserError(f"{source}: the document is empty")
    nuls = text.count("\x00")
    if nuls and not (nuls * _STRAY_NUL_RATIO < len(text) and looks_like_html(text)):
        raise UserError(f"{source}: looks like binary data (NUL bytes), not text or HTML")
    return text


def decode(data: bytes, source: str, max_bytes: int) -> str:
    """Text from raw bytes (UTF-8, or UTF-16/32 with a byte-order mark), or one line saying
    why not."""
    if len(data) > max_bytes:
        raise too_big(source, None, max_bytes)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return check_text(data.decode(encoding), source)
            except UnicodeDecodeError:
                raise UserError(
                    f"{source}: starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()}; convert it to UTF-8 first"
                ) from None
    head = data[:_SNIFF_BYTES]
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if controls > len(head) // 10:
        raise UserError(f"{source}: looks like binary data, not text or HTML")
    try:
        return check_text(data.decode("utf-8-sig"), source)
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{source}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. `iconv -f latin1 -t utf-8`"
        ) from None


def too_big(source: str, size: int | None, max_bytes: int) -> UserError:
    """The error for an input over the limit; `size` None when it is only known to be more."""
    amount = "more than that" if size is None else f"{size / 1e6:.1f} MB"
    return UserError(
        f"{source}: {amount} is over the {max_bytes / 1e6:.1f} MB limit "
        "(raise it with --set input.max_bytes=N)"
    )


def utf8_safe(text: str) -> str:
    """`text`, with any lone surrogate (from a JSON `\\ud800` escape or an undecodable file
    name) written out as `\\ud800`: Parquet and UTF-8 files cannot hold one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def is_url(source: str) -> bool:
    """An http(s) URL, whatever the case of its scheme (`HTTP://` is a URL, not a path)."""
    return urlsplit(source).scheme.lower() in ("http", "https")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _require_regular(mode: int, path: Path, hint: str = _INPUT_HINT) -> None:
    if not stat.S_ISREG(mode):
        raise UserError(f"{path}: is {_kind(mode)}, not a regular file; {hint}")


def regular_file(path: Path, hint: str = _INPUT_HINT) -> os.stat_result:
    """`path`'s stat if it is a regular file (through symlinks), else one line saying why not
    and, as `hint`, what to do instead."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror})") from None
    _require_regular(info.st_mode, path, hint)
    return info


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading if it is a regular file, else one line saying what it is.

    The check comes before `open`, because opening a FIFO waits for a writer and opening a
    device can act on it; O_NONBLOCK and a second check on the open file cover a path that
    is swapped for something else in between.
    """
    regular_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UserError(f"{path}: cannot open it ({exc.strerror})") from None
    handle = os.fdopen(fd, "rb")
    try:
        _require_regular(os.fstat(fd).st_mode, path)
    except UserError:
        handle.close()
        raise
    return handle


def read_source(
    source: str,
    max_bytes: int,
    allow_private_urls: bool = False,
    download_timeout: float = 30.0,
) -> str:
    """The text of `source`: a path, `-` for stdin, or an http(s) URL."""
    if source == "-":
        return decode(sys.stdin.buffer.read(max_bytes + 1), "stdin", max_bytes)
    if is_url(source):
        from summarizer.io.download import fetch

        data = fetch(source, max_bytes, allow_private_urls, download_timeout)
        return decode(data, source, max_bytes)
    path = Path(source)
    if path.is_dir():
        raise UserError(f"{source}: is a directory; `summarizer batch {source}` reads a folder")
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise too_big(source, size, max_bytes)
        return decode(handle.read(max_bytes + 1), source, max_bytes)
