"""Downloading one page for `summarizer run URL`: verified TLS, an SSRF guard, one deadline.

Not trafilatura's downloader, for two reasons: it retries a failed certificate check
without verification (its insecure-SSL fallback), and its timeout applies to each socket
read, so a server sending a byte every few seconds keeps it waiting forever. This is
urllib3 with certificate verification always on, every connection (each redirect hop
included) refused when its peer is not a public address unless private URLs are allowed,
the body cut at `max_bytes`, and one deadline for the whole download, DNS and TLS included.
"""

from __future__ import annotations

import ipaddress
import queue
import socket
import threading
import time
from typing import Any

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError, NewConnectionError, SSLError

from summarizer.errors import UserError
from summarizer.io.sources import too_big

_MAX_REDIRECTS = 5
_CHUNK = 16384  # small, so a compressed chunk cannot inflate far past max_bytes
_HEADERS = urllib3.util.make_headers(accept_encoding=True, user_agent="summarizer/0.1")


class _PrivateAddress(NewConnectionError):
    """The peer is loopback, private, link-local or otherwise not a public address."""

    def __init__(self, conn: HTTPConnection, address: str) -> None:
        super().__init__(conn, f"{address} is not a public address")
        self.address = address


class _GuardedHTTPConnection(HTTPConnection):
    """Checks the address actually connected to, after DNS, so a rebinding name cannot
    slip a private address past a check made on the name."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        address = ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0])
        address = getattr(address, "ipv4_mapped", None) or address
        if not address.is_global:
            sock.close()
            raise _PrivateAddress(self, str(address))
        return sock


class _GuardedHTTPSConnection(_GuardedHTTPConnection, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedPoolManager(urllib3.PoolManager):
    """A pool manager whose every connection, redirects included, goes through the guard."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


def fetch(url: str, max_bytes: int, allow_private: bool, timeout: float) -> bytes:
    """The body of `url`, at most `max_bytes`, within `timeout` seconds all told.

    The download runs in a daemon thread so that the deadline holds even while a read is
    blocked (a server dripping its headers, a slow TLS handshake); the thread itself stops
    at its next read past the deadline.
    """
    outcome: queue.Queue[bytes | UserError] = queue.Queue()
    deadline = time.monotonic() + timeout
    late = UserError(
        f"{url}: the download took longer than {timeout:g} s "
        "(raise it with --set input.download_timeout=SECONDS)"
    )

    def work() -> None:
        try:
            outcome.put(_download(url, max_bytes, allow_private, deadline))
        except UserError as exc:
            outcome.put(exc)
        except TimeoutError:
            outcome.put(late)
        except Exception as exc:  # any network failure becomes the run's one error line
            outcome.put(late if time.monotonic() >= deadline else _failure(url, exc))

    threading.Thread(target=work, name="summarizer-download", daemon=True).start()
    try:
        result = outcome.get(timeout=timeout)
    except queue.Empty:
        result = late
    if isinstance(result, UserError):
        raise result
    return result


def _download(url: str, max_bytes: int, allow_private: bool, deadline: float) -> bytes:
    manager = urllib3.PoolManager if allow_private else _GuardedPoolManager
    pool = manager(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
    retries = urllib3.Retry(
        total=_MAX_REDIRECTS, redirect=_MAX_REDIRECTS, connect=0, read=0, status=0, other=0
    )
    left = max(deadline - time.monotonic(), 0.001)
    try:
        response = pool.request(
            "GET", url, headers=_HEADERS, retries=retries, timeout=left, preload_content=False
        )
        try:
            if response.status >= 400:
                raise UserError(f"{url}: the server answered HTTP {response.status}")
            return _read_body(response, url, max_bytes, deadline)
        finally:
            response.release_conn()
    finally:
        pool.clear()


def _read_body(response: Any, url: str, max_bytes: int, deadline: float) -> bytes:
    """The body, refused as soon as it passes `max_bytes` (whatever Content-Length claimed)
    or the deadline: read1 returns what one socket read brings, so a server dripping bytes
    cannot hold the download past the deadline by more than one drip."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big(url, int(declared), max_bytes)
    body = bytearray()
    while chunk := response.read1(_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise too_big(url, None, max_bytes)
        if time.monotonic() > deadline:
            raise TimeoutError
    if not body:
        raise UserError(f"{url}: the server sent an empty page")
    return bytes(body)


def _failure(url: str, exc: Exception) -> UserError:
    """One line for a failed download: the SSRF guard, a certificate, or the network."""
    reason = exc.reason if isinstance(exc, MaxRetryError) and exc.reason else exc
    if isinstance(reason, _PrivateAddress):
        return UserError(
            f"{url}: refused to connect: {reason.address} is not a public address "
            "(for a local or intranet address set input.allow_private_urls=true)"
        )
    detail = " ".join(str(reason).split())
    if isinstance(reason, SSLError):
        return UserError(f"{url}: the TLS connection failed, nothing was downloaded ({detail})")
    return UserError(f"{url}: could not download the page ({detail})")
