"""Hostile and careless input (issue 25): special files, links onto the input, foreign
journals, slow or untrusted servers, odd encodings. No model loads: the batch tests use
test_batch_io's stand-in pipeline, and `run` is checked up to reading its source."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from summarizer.errors import UserError
from summarizer.inputs import read_source

PAGE = b"<html><body><p>A page served by the test server, long enough to read.</p></body></html>"

# --- downloads -------------------------------------------------------------------------


class Server:
    """A local HTTP(S) server on a loopback address whose GET handler is the test's function."""

    def __init__(
        self,
        handle: Callable[[BaseHTTPRequestHandler], None],
        tls: ssl.SSLContext | None,
        host: str,
    ) -> None:
        self.stop = threading.Event()
        stop = self.stop  # lets a dripping handler end when the test does

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                try:
                    handle(self)
                except OSError:  # the client gave up: that is what the tests provoke
                    pass

            def log_message(self, *args: object) -> None:
                pass

        Handler.stop = stop  # type: ignore[attr-defined]
        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://{host}:{self.httpd.server_port}"
        serving = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        serving.start()

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def serve() -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(handle: Callable[..., None], tls=None, host: str = "127.0.0.1") -> Server:
        servers.append(Server(handle, tls, host))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def send_page(request: BaseHTTPRequestHandler, body: bytes = PAGE, length: bool = True) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "text/html; charset=utf-8")
    if length:
        request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def redirect(request: BaseHTTPRequestHandler, location: str) -> None:
    request.send_response(302)
    request.send_header("Location", location)
    request.send_header("Content-Length", "0")
    request.end_headers()


def drip_body(request: BaseHTTPRequestHandler) -> None:
    """Headers at once, then one byte every 50 ms: each read is quick, the whole never ends."""
    request.send_response(200)
    request.end_headers()
    while not request.stop.wait(0.05):  # type: ignore[attr-defined]
        request.wfile.write(b"x")
        request.wfile.flush()


def drip_headers(request: BaseHTTPRequestHandler) -> None:
    """A status line, then a header byte every 50 ms: never a complete response."""
    request.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not request.stop.wait(0.05):
        request.wfile.write(b"x")
        request.wfile.flush()


def fetch(url: str, max_bytes: int = 10_000, private: bool = True, timeout: float = 5) -> str:
    return read_source(url, max_bytes, allow_private_urls=private, download_timeout=timeout)


def test_a_url_in_any_case_of_scheme_is_downloaded(serve) -> None:
    server = serve(send_page)
    upper = server.url.replace("http://", "HTTP://")
    assert fetch(f"{upper}/page.html") == PAGE.decode()


@pytest.mark.parametrize("handler", [drip_body, drip_headers])
def test_a_dripping_server_hits_the_overall_deadline(serve, handler) -> None:
    server = serve(handler)
    started = time.monotonic()
    with pytest.raises(UserError, match=r"took longer than 0.5 s .*input.download_timeout"):
        fetch(f"{server.url}/slow", timeout=0.5)
    assert time.monotonic() - started < 2  # each read was quick: only a whole-run deadline stops it


def test_a_body_over_max_bytes_is_cut_off_whatever_the_headers_say(serve) -> None:
    server = serve(lambda request: send_page(request, b"y" * 50_000, length=False))
    with pytest.raises(UserError, match="more than that is over the 0.0 MB limit"):
        fetch(f"{server.url}/big", max_bytes=1000)


def test_private_addresses_are_refused_by_name_too(serve) -> None:
    server = serve(send_page)
    for host in ("127.0.0.1", "localhost"):
        url = server.url.replace("127.0.0.1", host)
        with pytest.raises(UserError, match="is not a public address .*allow_private_urls=true"):
            fetch(f"{url}/page.html", private=False)


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(serve, monkeypatch) -> None:
    """The guard sits on every connection: a redirect hop is vetted like the first request
    (here the first hop is let through by marking 127.0.0.2 public for the test)."""
    import ipaddress

    target = serve(send_page)
    hop = serve(lambda r: redirect(r, f"{target.url}/page.html"), host="127.0.0.2")
    real = ipaddress.IPv4Address.is_global
    monkeypatch.setattr(
        ipaddress.IPv4Address,
        "is_global",
        property(lambda a: str(a) == "127.0.0.2" or real.fget(a)),
    )
    with pytest.raises(UserError, match="127.0.0.1 is not a public address"):
        fetch(hop.url, private=False)
    assert fetch(hop.url, private=True) == PAGE.decode()


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl to make a certificate with")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_a_self_signed_certificate_is_refused(serve, self_signed, monkeypatch) -> None:
    cert, key = self_signed
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = serve(send_page, tls=context)
    with pytest.raises(UserError, match="TLS connection failed.*CERTIFICATE_VERIFY_FAILED"):
        fetch(f"{server.url}/page.html")
    # the same server is fine once its certificate is trusted: only verification refused it
    monkeypatch.setattr("certifi.where", lambda: str(cert))
    assert fetch(f"{server.url}/page.html") == PAGE.decode()


def test_http_errors_and_empty_pages_are_one_line(serve) -> None:
    server = serve(lambda r: send_page(r, b"") if r.path == "/empty" else r.send_error(404))
    with pytest.raises(UserError, match=r"^http://.*/gone: the server answered HTTP 404$"):
        fetch(f"{server.url}/gone")
    with pytest.raises(UserError, match="the server sent an empty page"):
        fetch(f"{server.url}/empty")
