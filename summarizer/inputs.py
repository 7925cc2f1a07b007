"""Reading one document from a file, stdin or URL, with clear errors for bad input.

Every check happens before heavy work: size is read from the file system before the file
is, so a 50 MB file is refused at once instead of being loaded and embedded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from summarizer.errors import UserError

_SNIFF_BYTES = 8192


def check_text(text: str, source: str) -> str:
    """Refuse text no stage can use: empty, whitespace-only, or binary that slipped in."""
    if not text.strip():
        raise UserError(f"{source}: the document is empty")
    if "\x00" in text[:_SNIFF_BYTES]:
        raise UserError(f"{source}: looks like binary data (NUL bytes), not text or HTML")
    return text


def decode(data: bytes, source: str, max_bytes: int) -> str:
    """UTF-8 text from raw bytes, or one line saying why not."""
    if len(data) > max_bytes:
        raise too_big(source, None, max_bytes)
    head = data[:_SNIFF_BYTES]
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if b"\x00" in head or controls > len(head) // 10:
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


def is_url(source: str) -> bool:
    """An http(s) URL, whatever the case of its scheme (`HTTP://` is a URL, not a path)."""
    return urlsplit(source).scheme.lower() in ("http", "https")


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
        from summarizer.download import fetch

        data = fetch(source, max_bytes, allow_private_urls, download_timeout)
        return decode(data, source, max_bytes)
    path = Path(source)
    if not path.exists():
        raise UserError(f"{source}: no such file")
    if path.is_dir():
        raise UserError(f"{source}: is a directory; `summarizer batch {source}` reads a folder")
    size = path.stat().st_size
    if size > max_bytes:
        raise too_big(source, size, max_bytes)
    return decode(path.read_bytes(), source, max_bytes)
