"""Hostile and careless input (issue 25): special files, links onto the input, foreign
journals, slow or untrusted servers, odd encodings. No model loads: the batch tests use
test_batch_io's stand-in pipeline, and `run` is checked up to reading its source."""

from __future__ import annotations

import codecs
import errno
import os
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cli_checks import one_error
from test_batch_io import ROWS, FakePipeline, config, jsonl, read_jsonl, run, stand_in

from summarizer.batch.job import BatchJob
from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.io.sources import read_source

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
    # each read was quick, so only a whole-run deadline stops it; the bound guards a hang
    assert time.monotonic() - started < 30


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


# --- special files: refused before they are opened ---------------------------------------


def special_files(folder: Path) -> dict[str, Path]:
    """A FIFO (opening it blocks) and a link to /dev/zero (reading it never ends)."""
    fifo, zero = folder / "fifo.jsonl", folder / "zero.jsonl"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    return {"a named pipe (FIFO)": fifo, "a device": zero}


def summarizer(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process held to 30 s and 4 GB, so that a regression that blocks
    on a FIFO or reads /dev/zero without end fails the test instead of the machine."""
    import resource
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    command = [sys.executable, "-m", "summarizer", *args]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=30, preexec_fn=limit, env=env
    )


@pytest.mark.parametrize("command", ["run", "batch"])
def test_fifos_and_devices_are_refused_with_one_line(command: str, tmp_path: Path) -> None:
    for kind, path in special_files(tmp_path).items():
        extra = ["-o", str(tmp_path / "out.jsonl")] if command == "batch" else []
        result = summarizer(command, str(path), *extra)
        assert result.returncode == 1
        assert result.stderr == f"error: {path}: is {kind}, not a regular file; " + (
            "copy what you need into a file (`run` also reads - for stdin)\n"
        )
        assert not (tmp_path / "out.jsonl.partial.jsonl").exists()


def test_a_special_file_in_a_folder_is_an_error_record(tmp_path: Path) -> None:
    from summarizer.io.readers import Fields, open_input

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("the first page")
    os.mkfifo(pages / "b.txt")
    (pages / "c.html").symlink_to("/dev/zero")
    records = list(open_input(pages, Fields(), 1000))
    assert [(r.id, r.text) for r in records] == [("a", "the first page"), ("b", None), ("c", None)]
    assert records[1].error == f"{pages / 'b.txt'}: is a named pipe (FIFO), not a regular " + (
        "file; copy what you need into a file (`run` also reads - for stdin)"
    )
    assert "is a device" in (records[2].error or "")


def test_training_data_must_be_a_regular_file(tmp_path: Path) -> None:
    from summarizer.io.labeled import read_records

    for kind, path in special_files(tmp_path).items():
        with pytest.raises(UserError, match=re.escape(f"{path}: is {kind}, not a regular file")):
            read_records(path)


# --- reads: ids, encodings, counts, folders ------------------------------------------


@pytest.fixture()
def no_model(cli, monkeypatch: pytest.MonkeyPatch):
    """The CLI with the stand-in pipeline; `built` counts how often the pipeline was built."""
    built: list[object] = []

    def build(cfg: object) -> FakePipeline:
        built.append(cfg)
        return FakePipeline()

    stand_in(monkeypatch, build)
    cli.built = built
    return cli


def test_a_folder_that_only_looks_like_a_saved_dataset_is_one_line(no_model, tmp_path) -> None:
    from summarizer.io.labeled import read_records

    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "state.json").write_text("{}")
    (fake / "dataset_info.json").write_text("{}")
    result = no_model("batch", str(fake), "-o", str(tmp_path / "out.jsonl"))
    assert "not a `datasets` dataset saved with save_to_disk (KeyError" in one_error(result)
    with pytest.raises(UserError, match="not a `datasets` dataset"):
        read_records(fake)
    assert no_model.built == []


@pytest.mark.parametrize("name", ["out.parquet", "out.csv", "out.jsonl"])
def test_a_lone_surrogate_id_is_written_and_resumed(name: str, tmp_path: Path) -> None:
    source = jsonl(
        tmp_path / "in.jsonl", ['{"id": "bad\\ud800id", "text": "some text"}', *ROWS[:2]]
    )
    out = tmp_path / name
    run(source, out)
    again = run(source, out, resume=True)  # a finished run: every id matches
    assert (again.resumed, again.new) == (3, 0)
    if name == "out.parquet":
        import pyarrow.parquet as pq

        assert pq.read_table(out).column("id").to_pylist()[0] == "bad\\ud800id"


def test_a_file_name_that_is_not_utf8_gives_a_writable_id(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / os.fsdecode(b"caf\xe9.txt")).write_text("a page whose name is Latin-1")
    run(pages, tmp_path / "out.parquet")
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "out.parquet").column("id").to_pylist() == ["caf\\udce9"]


def test_blank_csv_lines_are_not_records_so_a_finished_run_resumes(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,text\na,first page\n\nb,second page\n\n", encoding="utf-8")
    stats = run(source, tmp_path / "out.jsonl")
    assert (stats.total, stats.records) == (2, 2)
    assert run(source, tmp_path / "out.jsonl", resume=True).resumed == 2


def test_pages_that_share_a_name_keep_their_extensions_as_ids(tmp_path: Path) -> None:
    from summarizer.io.readers import Fields, open_input

    pages = tmp_path / "pages"
    (pages / "2024").mkdir(parents=True)
    for name in ("a.txt", "a.html", "b.txt", "2024/a.txt"):
        (pages / name).write_text(f"page {name}")
    ids = [record.id for record in open_input(pages, Fields(), 1000)]
    assert ids == ["2024/a", "a.html", "a.txt", "b"]


def test_a_jsonl_line_too_long_for_any_record_is_skipped_unread(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", [{"id": "huge", "text": "x" * 200_000}, ROWS[0]])
    small = Config.model_validate({"input": {"max_bytes": 100}, "topic": {"adapt": "none"}})
    job = BatchJob(source, tmp_path / "out.jsonl", small)
    assert job.run(FakePipeline()).errors == 1
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in records] == ["line-1", "doc-0"]
    assert records[0]["error"] == "line 1: over 66136 bytes, too long for input.max_bytes"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded(encoding: str, tmp_path) -> None:
    path = tmp_path / "page.txt"
    text = "Ünïcode page, written by a Windows editor."
    bom = {"utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    path.write_bytes(bom + text.encode(encoding))
    assert read_source(str(path), 10_000) == text
    path.write_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate in UTF-16
    with pytest.raises(UserError, match="starts with a UTF-16 byte-order mark but is not valid"):
        read_source(str(path), 10_000)


def test_a_nul_byte_after_the_first_8_kb_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"plain text. " * 1000 + b"\x00 and more")
    with pytest.raises(UserError, match="looks like binary data"):
        read_source(str(path), 100_000)


def test_a_stray_nul_byte_in_a_web_page_is_skipped_as_a_browser_does(tmp_path: Path) -> None:
    from summarizer.segment import segment_html

    page = tmp_path / "page.html"
    paragraph = b"<p>A paragraph of the page, long enough to read.</p>\n"
    page.write_bytes(b"<html><body>" + paragraph * 20 + b"\x00" + paragraph + b"</body></html>")
    text = read_source(str(page), 100_000)
    blocks = [b.text for b in segment_html(text)[0]]
    assert blocks == ["A paragraph of the page, long enough to read."] * 21
    page.write_bytes(b"<html><body><p>" + b"a\x00" * 600 + b"</p></body></html>")
    with pytest.raises(UserError, match="looks like binary data"):  # not stray: binary
        read_source(str(page), 100_000)


def test_a_file_that_grows_past_its_stat_size_is_cut_at_max_bytes(tmp_path, monkeypatch) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"word " * 1000)
    monkeypatch.setattr(
        "summarizer.io.sources.os.fstat", lambda fd: os.stat_result((0o100644,) + (0,) * 9)
    )
    with pytest.raises(UserError, match="more than that is over the 0.0 MB limit"):
        read_source(str(path), 1000)


# --- the input is never harmed -----------------------------------------------------------


def test_an_output_that_is_the_input_through_a_link_is_refused(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", ROWS)
    before = source.read_bytes()
    hard, soft = tmp_path / "hard.jsonl", tmp_path / "soft.jsonl"
    os.link(source, hard)
    soft.symlink_to(source)
    journal_link = tmp_path / "j.parquet.partial.jsonl"
    os.link(source, journal_link)
    for out, flags in [
        (hard, {"overwrite": True}),
        (hard, {"resume": True}),
        (soft, {"overwrite": True}),
        (tmp_path / "j.parquet", {"overwrite": True}),
        (tmp_path / "j.parquet", {"resume": True}),
    ]:
        with pytest.raises(UserError, match="is the input .*would overwrite the input"):
            BatchJob(source, out, config(), **flags)
    assert source.read_bytes() == before and journal_link.exists()


def test_resuming_into_the_input_s_own_name_is_refused(tmp_path: Path) -> None:
    """`batch X.parquet.partial.jsonl -o X.parquet --resume`: the input is that output's
    journal; it must be neither read as results nor deleted."""
    source = jsonl(tmp_path / "x.parquet.partial.jsonl", ROWS)
    before = source.read_bytes()
    with pytest.raises(UserError, match="is the input"):
        BatchJob(source, tmp_path / "x.parquet", config(), resume=True)
    with pytest.raises(UserError, match="names ending in .partial.jsonl are batch journals"):
        BatchJob(jsonl(tmp_path / "in.jsonl", ROWS), source, config(), overwrite=True)
    assert source.read_bytes() == before


@pytest.mark.parametrize("flags", [{}, {"resume": True}, {"overwrite": True}])
def test_a_journal_without_our_header_is_left_alone(flags: dict, tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", ROWS)
    foreign = jsonl(tmp_path / "out.csv.partial.jsonl", ROWS[:3])  # looks like results
    before = foreign.read_bytes()
    with pytest.raises(UserError, match="not written by `summarizer batch` .*left as it is"):
        BatchJob(source, tmp_path / "out.csv", config(), **flags)
    assert foreign.read_bytes() == before and not (tmp_path / "out.csv").exists()


def test_a_journal_resumes_only_with_its_own_input(tmp_path: Path) -> None:
    first, out = jsonl(tmp_path / "a.jsonl", ROWS), tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run(first, out, FakePipeline(stop_after_calls=1))
    copy = jsonl(tmp_path / "b.jsonl", ROWS)  # the same ids: only the header can tell
    with pytest.raises(UserError, match=f"continues a run over {first}, not {copy}"):
        BatchJob(copy, out, config(), resume=True)
    assert run(first, out, resume=True).resumed == 3


def test_a_stale_link_at_the_conversion_name_is_not_written_through(tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.csv"
    before = source.read_bytes()
    os.link(source, tmp_path / "out.csv.tmp")
    run(source, out)
    assert source.read_bytes() == before and len(out.read_text().splitlines()) == 1 + len(ROWS)


def test_a_special_file_as_output_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "out.jsonl")
    with pytest.raises(
        UserError, match="out.jsonl: is a named pipe .FIFO., not a regular file; choose another -o$"
    ):
        BatchJob(jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.jsonl", config(), resume=True)


# --- writes that fail: one line, before any model, and nothing lost ----------------------


def test_an_unwritable_output_is_one_line_before_the_models_load(no_model, tmp_path) -> None:
    source = jsonl(tmp_path / "in.jsonl", ROWS)
    (tmp_path / "file").write_text("a file, not a folder")
    result = no_model("batch", str(source), "-o", str(tmp_path / "file" / "out.jsonl"))
    message = one_error(result)
    assert f"cannot write it ({tmp_path / 'file'} is not a folder); nothing was written" in message
    assert no_model.built == []


def test_a_full_disk_is_one_line_and_the_run_resumes(no_model, tmp_path, monkeypatch) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.parquet"
    args = ["batch", str(source), "-o", str(out), "-q", "--set", "batch.chunk_size=3"]
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:  # the header, the first chunk, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr("summarizer.io.writers.os.fsync", fsync)
    message = one_error(no_model(*args))
    assert "(No space left on device); the chunks before this one are saved" in message
    monkeypatch.setattr("summarizer.io.writers.os.fsync", real_fsync)

    def replace(*_: object) -> None:  # the disk fills while the journal is converted
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("summarizer.io.writers.os.replace", replace)
    message = one_error(no_model(*args, "--resume"))
    assert f"every result is kept in {out}.partial.jsonl" in message
    assert not Path(f"{out}.tmp").exists()
    monkeypatch.undo()
    no_model.built.clear()
    assert no_model(*args, "--resume").exit_code == 0
    import pyarrow.parquet as pq

    assert pq.read_table(out).column("id").to_pylist() == [row["id"] for row in ROWS]


def test_a_failed_start_does_not_block_the_rerun(no_model, tmp_path, monkeypatch) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.jsonl"

    def missing_model(cfg: object) -> None:
        raise UserError("the summary model is not available offline")

    with monkeypatch.context() as patch:
        patch.setattr("summarizer.cli.main.build_pipeline", missing_model)
        assert "not available offline" in one_error(no_model("batch", str(source), "-o", str(out)))
    assert not out.exists()
    rerun = no_model("batch", str(source), "-o", str(out))
    assert rerun.exit_code == 0, rerun.output
    assert [r["id"] for r in read_jsonl(out)] == [row["id"] for row in ROWS]
