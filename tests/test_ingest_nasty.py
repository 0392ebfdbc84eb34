"""Hostile, broken and odd inputs: each fails alone, with the file (and line) and the reason."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.detect import detect_format
from newsdesk.ingest.normalize import normalize
from newsdesk.ingest.readers import read_document
from newsdesk.ingest.sources import iter_inputs
from newsdesk.model import RawDocument, ReadError

SENTENCE = "Officials in the capital said the bridge would reopen on Friday after repairs were finished. "


def read_all(paths: list[str], max_bytes: int = 50_000_000) -> list[RawDocument | ReadError]:
    out: list[RawDocument | ReadError] = []
    for item in iter_inputs(paths, max_bytes=max_bytes):
        out.extend([item] if isinstance(item, ReadError) else read_document(*item))
    return out


def one(path: Path, **kwargs: int) -> RawDocument | ReadError:
    [item] = read_all([str(path)], **kwargs)
    return item


def warc_gz(pages: int) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for n in range(pages):
        body = f"<html><head><title>Page {n}</title></head><body><article><p>{SENTENCE * 8}</p>" \
               f"<p>Page number {n}.</p></article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(f"https://example.org/{n}", "response",
                                           payload=io.BytesIO(body.encode()), http_headers=headers)
        writer.write_record(record)
    return buf.getvalue()


# --- binary ----------------------------------------------------------------------------------


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    f = tmp_path / "noise.txt"
    f.write_bytes(random.Random(7).randbytes(4096))
    err = one(f)
    assert isinstance(err, ReadError) and err.origin == str(f)
    assert "binary file" in err.reason and "not a supported format" in err.reason


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG image"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF document"),
    ("notes.docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(40), "ZIP archive"),
    ("data.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(20), "gzip"),
])
def test_known_binary_formats_are_named(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    err = one(f)
    assert isinstance(err, ReadError) and err.origin == str(f)
    assert kind in err.reason and "not a supported format" in err.reason
    if name.endswith(".pdf"):
        assert "convert it" in err.reason


# --- encodings -------------------------------------------------------------------------------


def test_cp1252_text(tmp_path: Path) -> None:
    text = "Café crème — the “naïve” señor’s façade\n\nThe mayor’s office said the café would reopen.\n"
    f = tmp_path / "legacy.txt"
    f.write_bytes(text.encode("cp1252"))
    raw = one(f)
    assert isinstance(raw, RawDocument)
    article = normalize(raw)
    assert article.title == "Café crème — the “naïve” señor’s façade"
    assert article.text == "The mayor’s office said the café would reopen."


def test_latin1_text(tmp_path: Path) -> None:
    text = "Der Bürgermeister sagte, die Straße sei gesperrt. Größere Schäden gab es nicht."
    f = tmp_path / "latin1.txt"
    f.write_bytes(text.encode("latin-1"))
    raw = one(f)
    assert isinstance(raw, RawDocument) and raw.text == text
    assert normalize(raw).language == "de"


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_byte_order_marks(tmp_path: Path, codec: str) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(("Bridge reopens\n\n" + SENTENCE).encode(codec))
    raw = one(f)
    assert isinstance(raw, RawDocument) and raw.title == "Bridge reopens"
    assert normalize(raw).text == SENTENCE.strip()


def test_utf16_html_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_bytes(f"<html><body><article><p>{SENTENCE * 5}</p></article></body></html>".encode("utf-16"))
    raw = one(f)
    assert isinstance(raw, RawDocument) and raw.format == "html"
    assert normalize(raw).text.startswith("Officials in the capital")


def test_undecodable_bytes_raise_clear_error() -> None:
    with pytest.raises(ValueError, match="x.txt: not valid UTF-8"):
        decode_bytes(b"\x81\x8d\x8f\x90\x9d" * 20, "x.txt")


# --- empty, oversized, huge ---------------------------------------------------------------


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"), (b"  \n\t\r\n  ", "empty (whitespace only)"), ("\n  \n".encode("utf-16"), "empty")])
def test_empty_and_whitespace(tmp_path: Path, data: bytes, reason: str) -> None:
    f = tmp_path / "blank.txt"
    f.write_bytes(data)
    err = one(f)
    assert isinstance(err, ReadError) and err.origin == str(f) and err.reason.startswith(reason)


def test_over_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"word " * 300)
    err = one(f, max_bytes=1000)
    assert isinstance(err, ReadError) and err.origin == str(f)
    assert "1,500 bytes" in err.reason and "size limit of 1,000" in err.reason


def test_huge_single_line_under_limit(tmp_path: Path) -> None:
    f = tmp_path / "oneline.txt"
    f.write_text(SENTENCE * 40_000, encoding="utf-8")  # ~3.7 MB, one line
    raw = one(f)
    assert isinstance(raw, RawDocument) and raw.title is None
    article = normalize(raw)
    assert len(article.text) > 3_000_000 and len(article.title) <= 101
    assert article.language == "en"


def test_missing_paths_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / ".hidden.txt").write_text(SENTENCE)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(SENTENCE)
    (tmp_path / "a.txt").write_text(SENTENCE)
    items = list(iter_inputs([str(tmp_path), str(tmp_path / "nope.txt")]))
    assert [i[0] for i in items[:2]] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "z.txt")]  # type: ignore[index]
    assert items[2] == ReadError(str(tmp_path / "nope.txt"), "no such file or folder")
    empty = tmp_path / "empty"
    empty.mkdir()
    [err] = iter_inputs([str(empty)])
    assert isinstance(err, ReadError) and "no files" in err.reason


def test_a_file_the_user_cannot_read_is_reported_as_permission_denied() -> None:
    """Read as an unprivileged user (uid 65534 through setpriv when the tests run as root, who reads anything)."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-perm-"))  # pytest's tmp folders are private to root
    try:
        folder.chmod(0o755)
        secret, readable = folder / "secret.txt", folder / "open.txt"
        secret.write_text(SENTENCE)
        readable.write_text(SENTENCE)
        secret.chmod(0)
        code = ("import sys; from newsdesk.ingest.sources import iter_inputs; "
                "print(repr(list(iter_inputs(sys.argv[1:]))))")
        command = [sys.executable, "-c", code, str(secret), str(readable)]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
        out = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=True).stdout
        assert out.strip() == repr([ReadError(str(secret), "permission denied"), (str(readable), SENTENCE.encode())])
    finally:
        shutil.rmtree(folder)


def test_path_through_a_file_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(SENTENCE)
    assert list(iter_inputs([f"{f}/child.txt"])) == [ReadError(f"{f}/child.txt", "Not a directory")]


def test_stdin_and_bad_url() -> None:
    code = ("import sys; from newsdesk.ingest.sources import iter_inputs; "
            "print(list(iter_inputs(['-', 'http://127.0.0.1:9/none'])))")
    out = subprocess.run([sys.executable, "-c", code], input=b"hello from stdin", capture_output=True,
                         timeout=30, check=True).stdout.decode()
    assert "('<stdin>', b'hello from stdin')" in out
    assert ("ReadError(origin='http://127.0.0.1:9/none', "
            "reason='could not fetch http://127.0.0.1:9/none: the host is not reachable or not allowed')") in out


# --- WARC ------------------------------------------------------------------------------------


def test_truncated_warc_gz_keeps_what_was_read(tmp_path: Path) -> None:
    data = warc_gz(3)
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(data[: len(data) * 3 // 4])
    items = read_all([str(f)])
    pages = [i for i in items if isinstance(i, RawDocument)]
    assert len(pages) == 2 and items[-1] == items[2]
    err = items[-1]
    assert isinstance(err, ReadError) and err.origin == str(f) and "truncated" in err.reason


def test_truncated_plain_warc(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with __import__("gzip").GzipFile(fileobj=io.BytesIO(warc_gz(2))) as gz:
        buf.write(gz.read())
    data = buf.getvalue()
    f = tmp_path / "cut.warc"
    f.write_bytes(data[: len(data) - 200])
    items = read_all([str(f)])
    assert sum(isinstance(i, RawDocument) for i in items) == 1
    assert isinstance(items[-1], ReadError) and "truncated" in items[-1].reason


def test_warc_without_pages(tmp_path: Path) -> None:
    f = tmp_path / "empty.warc"
    f.write_bytes(b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    err = one(f)
    assert isinstance(err, ReadError) and "no HTML pages" in err.reason


# --- JSON Lines --------------------------------------------------------------------------------


def test_bad_json_lines_among_good_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "First good article about the bridge.", "title": "One"}),
        '{"text": "unterminated',
        "",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": 42}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Second good article about the bridge.", "title": "Two"}),
        '{"text": "truncated at the end of the fi',
    ]
    f = tmp_path / "mixed.jsonl"
    f.write_text("\n".join(lines), encoding="utf-8")
    items = read_all([str(f)])
    good = [i.title for i in items if isinstance(i, RawDocument)]
    bad = [(i.origin, i.reason) for i in items if isinstance(i, ReadError)]
    assert good == ["One", "Two"]
    assert [origin for origin, _ in bad] == [f"{f}:line {n}" for n in (2, 4, 5, 6, 7, 9)]
    reasons = [reason for _, reason in bad]
    assert reasons[0].startswith("malformed JSON") and reasons[5].startswith("malformed JSON")
    assert reasons[1] == "missing required field 'text'"
    assert "must be a string" in reasons[2] and "expected a JSON object" in reasons[3]
    assert reasons[4] == "field 'text' is empty"


def test_malformed_first_line_still_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    f.write_text('{"text": oops}\n' + json.dumps({"text": "A good line of text."}) + "\n")
    items = read_all([str(f)])
    assert isinstance(items[0], ReadError) and items[0].origin == f"{f}:line 1"
    assert isinstance(items[1], RawDocument)


# --- hostile and pathological HTML ---------------------------------------------------------------

HOSTILE = """<!DOCTYPE html><html><head><title>Council approves budget</title>
<script>var secret = "SCRIPTCODE"; alert(1);</script><style>body { color: red }</style></head>
<body onload="alert('ONLOAD')"><article><h1>Council approves budget</h1>
<p>The city council approved the annual budget on Tuesday after a long debate over road repairs.</p>
<p>Members voted nine to four in favour. <img src="x" onerror="alert('IMGERR')"> The mayor welcomed it.</p>
<p>Read <a href="javascript:alert('JSLINK')">the full text</a> of the decision online.</p>
<script>document.write("INLINESCRIPT")</script><noscript>NOSCRIPT please enable javascript</noscript>
<iframe src="javascript:alert('FRAME')">IFRAMETEXT</iframe>
<p>The budget takes effect in January and covers schools, transport and housing programmes.</p>
</article></body></html>"""


def test_hostile_html_yields_no_script_code(tmp_path: Path) -> None:
    f = tmp_path / "hostile.html"
    f.write_text(HOSTILE, encoding="utf-8")
    article = normalize(one(f))  # type: ignore[arg-type]
    assert "approved the annual budget" in article.text and "takes effect in January" in article.text
    for marker in ("SCRIPTCODE", "alert", "ONLOAD", "IMGERR", "JSLINK", "INLINESCRIPT", "NOSCRIPT",
                   "IFRAMETEXT", "javascript", "color: red"):
        assert marker not in article.text


def test_hostile_html_fallback_extractor_also_clean() -> None:
    from newsdesk.ingest.readers.html import html_to_text

    text = html_to_text(HOSTILE)
    assert "approved the annual budget" in text
    for marker in ("SCRIPTCODE", "alert", "INLINESCRIPT", "NOSCRIPT", "IFRAMETEXT"):
        assert marker not in text


def test_deeply_nested_html(tmp_path: Path) -> None:
    depth = 5000
    f = tmp_path / "deep.html"
    nested = "<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth
    f.write_text(f"<html><body>{nested}</body></html>")
    article = normalize(one(f))  # type: ignore[arg-type]
    assert article.text == SENTENCE.strip()


def test_unclosed_tags_and_garbage_markup(tmp_path: Path) -> None:
    f = tmp_path / "broken.html"
    f.write_text("<html><head><title>Broken<body><p>" + SENTENCE + "<p><b><i>" + SENTENCE + "</div></span>")
    item = one(f)
    assert isinstance(item, RawDocument)
    assert "Officials in the capital" in normalize(item).text


def test_html_without_text_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "empty.html"
    f.write_text("<html><head><script>alert(1)</script></head><body><div></div></body></html>")
    with pytest.raises(ValueError, match="^no main text found in the HTML$"):
        normalize(one(f))  # type: ignore[arg-type]


def test_feed_without_entries(tmp_path: Path) -> None:
    f = tmp_path / "feed.xml"
    f.write_text("<rss version='2.0'><channel><title>Nothing</title></channel></rss>")
    assert one(f) == ReadError(str(f), "feed has no entries")


def test_feed_with_garbled_encoding_declaration(tmp_path: Path) -> None:
    f = tmp_path / "feed.xml"
    f.write_bytes(b'<?xml version="1.0" encoding="\x8btf-8"?><rss version="2.0"><channel><title>T</title>'
                  b"<item><title>A</title><description>Bridge reopens.</description></item></channel></rss>")
    raw = one(f)
    assert isinstance(raw, RawDocument) and raw.text == "Bridge reopens."


def test_broken_feed_keeps_entries(tmp_path: Path) -> None:
    f = tmp_path / "feed.rss"
    f.write_text("<rss><channel><title>T</title><item><title>A</title><description>Bridge & tunnel "
                 "reopen after repairs.</description></item>")  # bare & and no closing tags: bozo
    raw = one(f)
    assert isinstance(raw, RawDocument) and raw.text == "Bridge & tunnel reopen after repairs."


# --- properties ------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_read_document_never_raises(data: bytes) -> None:
    for item in read_document("fuzz.bin", data):
        assert isinstance(item, (RawDocument, ReadError))
        if isinstance(item, ReadError):
            assert item.origin.startswith("fuzz.bin") and item.reason
        else:
            try:
                normalize(item)
            except ValueError as exc:
                assert str(exc) in {"no text", "no main text found in the HTML"}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_text_roundtrip_detects_a_format(text: str) -> None:
    assert detect_format("t.txt", text.encode("utf-8")) in {"text", "html", "jsonl", "feed", "warc", "binary"}
