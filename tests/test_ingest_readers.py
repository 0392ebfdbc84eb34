"""Every input format, read and normalized with the real libraries, plus detection by content."""

from __future__ import annotations

import glob
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.ingest.detect import detect_format
from newsdesk.ingest.normalize import content_id, derive_title, normalize, parse_date
from newsdesk.ingest.readers import read_document
from newsdesk.ingest.sources import iter_inputs
from newsdesk.model import Article, Location, RawDocument, ReadError

PARAGRAPHS = [
    "A strong earthquake struck the coastal city of Port Verde on Sunday morning, killing at least "
    "twelve people and injuring more than forty, the regional governor said.",
    "Rescue teams worked through the night to search collapsed buildings in the old town, where "
    "several apartment blocks were reduced to rubble, officials said on Monday.",
    "The national seismology institute measured the quake at magnitude 6.1 and warned residents to "
    "expect aftershocks over the coming days.",
]


def page(title: str = "Quake kills twelve in Port Verde", extra_head: str = "", body_extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | Coast Herald</title>{extra_head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}{body_extra}</article>"
        "<footer>Copyright Coast Herald</footer></body></html>"
    )


def read_all(path: Path | str) -> list[RawDocument | ReadError]:
    out: list[RawDocument | ReadError] = []
    for item in iter_inputs([str(path)]):
        if isinstance(item, ReadError):
            out.append(item)
        else:
            out.extend(read_document(*item))
    return out


def docs(items: list[RawDocument | ReadError]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def errors(items: list[RawDocument | ReadError]) -> list[ReadError]:
    return [item for item in items if isinstance(item, ReadError)]


def make_warc(records: list[tuple[str, bytes, str, str]], gz: bool) -> bytes:
    """records: (url, body, content type, status line)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for number, (url, body, ctype, status) in enumerate(records):
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                           warc_headers_dict={"WARC-Date": f"2022-06-1{number}T08:30:00Z"})
        writer.write_record(record)
    return buf.getvalue()


# --- plain text and Markdown -------------------------------------------------------------


def test_text_with_headline_first_line(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text("Quake kills twelve in Port Verde\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    [raw] = read_all(f)
    assert isinstance(raw, RawDocument) and raw.format == "text"
    assert raw.title == "Quake kills twelve in Port Verde"
    article = normalize(raw)
    assert article.title == "Quake kills twelve in Port Verde"
    assert article.text.startswith("A strong earthquake")
    assert "Quake kills twelve" not in article.text
    assert article.language == "en"
    assert article.path == str(f) and article.locations == [Location(url=None, path=str(f))]
    assert article.metadata == {"format": "text"}


def test_markdown_heading_is_title(tmp_path: Path) -> None:
    f = tmp_path / "story.md"
    f.write_text("# Quake kills twelve\n\n" + PARAGRAPHS[0], encoding="utf-8")
    [raw] = read_all(f)
    assert raw.title == "Quake kills twelve"  # type: ignore[union-attr]
    assert normalize(raw).text == PARAGRAPHS[0]  # type: ignore[arg-type]


def test_text_without_headline_keeps_first_line_and_derives_title(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    [raw] = read_all(f)
    assert raw.title is None  # type: ignore[union-attr]
    article = normalize(raw)  # type: ignore[arg-type]
    assert article.text.startswith("A strong earthquake struck")
    assert article.title.endswith("…") and len(article.title) <= 101
    assert article.title.startswith("A strong earthquake struck the coastal city")


def test_caption_first_line_is_not_title(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text("Rescuers search the rubble (Ana Ruiz/AP)\n\n" + PARAGRAPHS[1], encoding="utf-8")
    [raw] = read_all(f)
    assert raw.title is None  # type: ignore[union-attr]
    article = normalize(raw)  # type: ignore[arg-type]
    assert article.title.startswith("Rescue teams worked through the night")
    assert article.text.startswith("Rescuers search the rubble")


# --- the running example -----------------------------------------------------------------


def test_quetta_000_title_and_body(quetta_dir: Path) -> None:
    [path] = glob.glob(f"{quetta_dir}/000_*.txt")
    [raw] = read_all(path)
    article = normalize(raw)  # type: ignore[arg-type]
    assert article.title == "Pakistan: IS is committed to attack on police school"
    assert article.text.startswith("Gunmen attacked")
    assert article.language == "en"
    assert article.id == content_id(article.text) and len(article.id) == 20


def test_quetta_003_title_is_not_the_caption(quetta_dir: Path) -> None:
    [path] = glob.glob(f"{quetta_dir}/003_*.txt")
    [raw] = read_all(path)
    article = normalize(raw)  # type: ignore[arg-type]
    assert "Video" not in article.title and "Scores were killed" not in article.title
    assert article.title.startswith("Gunmen in the southwestern Pakistani city of Quetta")
    assert len(article.title) <= 101
    assert article.text.startswith("Scores were killed")  # the caption stays in the text


def test_quetta_folder_is_read_in_sorted_order(quetta_dir: Path) -> None:
    origins = [item[0] for item in iter_inputs([str(quetta_dir)]) if not isinstance(item, ReadError)]
    assert [Path(o).name[:3] for o in origins] == ["000", "003"]


# --- HTML ----------------------------------------------------------------------------------


def test_html_page_extracted_with_metadata(tmp_path: Path) -> None:
    head = ("<link rel='canonical' href='https://www.coastherald.example/2022/06/12/quake'>"
            "<meta property='og:site_name' content='Coast Herald'>"
            "<meta name='author' content='Jane Doe'>"
            "<meta property='article:published_time' content='2022-06-12T09:15:00+02:00'>")
    f = tmp_path / "quake.html"
    f.write_text(page(extra_head=head), encoding="utf-8")
    [raw] = read_all(f)
    assert isinstance(raw, RawDocument) and raw.format == "html"
    assert raw.url == "https://www.coastherald.example/2022/06/12/quake"
    article = normalize(raw)
    assert article.title == "Quake kills twelve in Port Verde"
    assert article.text.split("\n\n") == PARAGRAPHS
    assert "Home" not in article.text and "Copyright" not in article.text
    assert article.outlet == "Coast Herald"
    assert article.author == "Jane Doe"
    assert article.published == "2022-06-12"
    assert article.language == "en"
    assert article.url == raw.url and article.path == str(f)


def test_html_og_url_and_host_outlet(tmp_path: Path) -> None:
    f = tmp_path / "quake.htm"
    f.write_text(page(extra_head="<meta property='og:url' content='https://www.example.org/quake'>"),
                 encoding="utf-8")
    [raw] = read_all(f)
    assert raw.url == "https://www.example.org/quake"  # type: ignore[union-attr]
    assert normalize(raw).outlet == "example.org"  # type: ignore[arg-type]


def test_an_article_id_is_the_sha256_of_its_text_with_whitespace_collapsed() -> None:
    # printf 'Gunmen attacked a police school.' | sha256sum | cut -c1-20
    assert content_id("  Gunmen attacked\n a  police school.\t") == "6eb11a1364fecf0b8d60"


def test_same_text_two_urls_one_id() -> None:
    a = normalize(RawDocument(origin="a", format="text", text="Hello   world.\n\nSecond  line.",
                              url="https://a.example/x"))
    b = normalize(RawDocument(origin="b", format="text", text="Hello world.\nSecond line.",
                              url="https://b.example/y"))
    assert a.id == b.id
    assert (a.outlet, b.outlet) == ("a.example", "b.example")
    c = normalize(RawDocument(origin="c", format="text", text="hello world. second line."))
    assert c.id != a.id  # not casefolded


# --- JSON Lines ----------------------------------------------------------------------------


def test_jsonl_records_with_metadata(tmp_path: Path) -> None:
    records = [
        {"text": PARAGRAPHS[0], "title": "Quake", "url": "https://www.coastherald.example/q",
         "published": "2022-06-12T09:15:00+02:00", "outlet": "Coast Herald", "language": "en",
         "id": "ch-1", "author": "Jane Doe", "section": "World", "tags": ["quake", "coast"]},
        {"text": PARAGRAPHS[1], "url": "https://news.example.net/rescue"},
    ]
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    first, second = read_all(f)
    assert isinstance(first, RawDocument) and first.format == "jsonl"
    assert first.origin == f"{f}:line 1"
    assert first.metadata == {"id": "ch-1", "section": "World", "tags": ["quake", "coast"]}
    a = normalize(first)
    assert (a.title, a.outlet, a.language, a.author) == ("Quake", "Coast Herald", "en", "Jane Doe")
    assert a.published == "2022-06-12T09:15:00+02:00"
    assert a.metadata["section"] == "World" and a.metadata["format"] == "jsonl"
    b = normalize(second)  # type: ignore[arg-type]
    assert b.outlet == "news.example.net" and b.title.startswith("Rescue teams worked")


def test_realtimeqa_style_records(tmp_path: Path) -> None:
    records = [
        {"url": "https://www.washingtonpost.com/world/2022/06/16/storm/", "title": "Storm hits coast",
         "text": PARAGRAPHS[0], "authors": ["A. Writer", "B. Writer"], "publish_date": "2022/06/16"},
        {"url": "https://www.cnn.com/2022/06/15/us/rescue/index.html", "title": "Rescue continues",
         "text": PARAGRAPHS[1], "authors": [], "publish_date": "2022/06/15"},
        {"url": "https://apnews.com/article/quake-123", "title": "Quake measured",
         "text": PARAGRAPHS[2], "authors": ["C. Writer"], "publish_date": "June 14, 2022"},
    ]
    f = tmp_path / "gcs.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    articles = [normalize(raw) for raw in docs(read_all(f))]
    assert [a.outlet for a in articles] == ["washingtonpost.com", "cnn.com", "apnews.com"]
    assert [a.published for a in articles] == ["2022-06-16", "2022-06-15", "2022-06-14"]
    assert articles[0].author == "A. Writer, B. Writer" and articles[1].author is None
    assert [a.title for a in articles] == ["Storm hits coast", "Rescue continues", "Quake measured"]


def test_json_array_and_single_object(tmp_path: Path) -> None:
    arr = tmp_path / "items.json"
    arr.write_text(json.dumps([{"text": PARAGRAPHS[0]}, {"text": PARAGRAPHS[1], "title": "T"}], indent=2))
    items = read_all(arr)
    assert [i.origin for i in items] == [f"{arr}#item 1", f"{arr}#item 2"]
    assert all(isinstance(i, RawDocument) for i in items)
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": PARAGRAPHS[2], "title": "Magnitude"}, indent=2))
    [raw] = read_all(one)
    assert isinstance(raw, RawDocument) and raw.title == "Magnitude"


# --- feeds ---------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Coast Herald</title><link>https://coastherald.example/</link><language>en-us</language>
<item><title>Quake kills twelve</title><link>https://coastherald.example/quake</link><guid>q1</guid>
<pubDate>Sun, 12 Jun 2022 09:15:00 +0200</pubDate><dc:creator>Jane Doe</dc:creator>
<category>World</category><description>Short summary.</description>
<content:encoded><![CDATA[<p>{PARAGRAPHS[0]}</p>
<p>{PARAGRAPHS[1]} <script>alert('x')</script></p>]]></content:encoded></item>
<item><title>Aftershocks expected</title><link>https://coastherald.example/after</link>
<description>{PARAGRAPHS[2]}</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>Küstenbote</title><id>urn:kb</id>
<updated>2022-06-12T10:00:00Z</updated>
<entry><title>Erdbeben an der Küste</title><link href="https://kuestenbote.example/beben"/><id>urn:kb:1</id>
<updated>2022-06-12T10:00:00Z</updated><author><name>Max Muster</name></author>
<content type="html">&lt;p&gt;Ein starkes Erdbeben hat am Sonntag die Küstenstadt erschüttert.&lt;/p&gt;
&lt;p&gt;Mindestens zwölf Menschen kamen ums Leben, teilte der Gouverneur mit.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_feed_entries(tmp_path: Path) -> None:
    f = tmp_path / "feed.xml"
    f.write_text(RSS, encoding="utf-8")
    first, second = read_all(f)
    assert isinstance(first, RawDocument) and first.format == "feed"
    assert first.origin == f"{f}#entry 1"
    assert first.outlet == "Coast Herald" and first.url == "https://coastherald.example/quake"
    a = normalize(first)
    assert a.text.split("\n\n") == PARAGRAPHS[:2]
    assert "alert" not in a.text
    assert (a.title, a.author, a.language) == ("Quake kills twelve", "Jane Doe", "en")
    assert a.published == "2022-06-12T09:15:00+02:00"
    assert a.metadata["tags"] == ["World"] and a.metadata["entry_id"] == "q1"
    b = normalize(second)  # type: ignore[arg-type]
    assert b.text == PARAGRAPHS[2] and b.published is None


def test_atom_feed(tmp_path: Path) -> None:
    f = tmp_path / "atom.xml"
    f.write_text(ATOM, encoding="utf-8")
    [raw] = read_all(f)
    article = normalize(raw)  # type: ignore[arg-type]
    assert article.outlet == "Küstenbote" and article.language == "de"
    assert article.title == "Erdbeben an der Küste" and article.author == "Max Muster"
    assert article.published == "2022-06-12T10:00:00+00:00"
    assert article.text.startswith("Ein starkes Erdbeben") and "\n\n" in article.text


# --- WARC ----------------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_warc_responses(tmp_path: Path, gz: bool) -> None:
    data = make_warc([
        ("https://www.coastherald.example/quake", page().encode(), "text/html; charset=utf-8", "200 OK"),
        ("https://www.coastherald.example/logo.png", b"\x89PNG\r\n\x1a\n....", "image/png", "200 OK"),
        ("https://www.coastherald.example/gone", b"<html>gone</html>", "text/html", "404 Not Found"),
        ("https://www.coastherald.example/second",
         page("Aftershocks rattle Port Verde").encode("cp1252"), "text/html; charset=windows-1252", "200 OK"),
    ], gz=gz)
    f = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    f.write_bytes(data)
    items = read_all(f)
    assert errors(items) == []
    first, second = docs(items)
    assert first.format == "warc" and first.origin == f"{f}#record 1"
    assert second.origin == f"{f}#record 4"
    a, b = normalize(first), normalize(second)
    assert a.url == "https://www.coastherald.example/quake" and a.outlet == "coastherald.example"
    assert a.published == "2022-06-10T08:30:00+00:00"  # WARC-Date: the page has no date of its own
    assert a.title == "Quake kills twelve in Port Verde" and a.text.startswith("A strong earthquake")
    assert b.title == "Aftershocks rattle Port Verde"


def test_warc_page_date_wins_over_crawl_date(tmp_path: Path) -> None:
    html = page(extra_head="<meta property='article:published_time' content='2022-06-01'>").encode()
    f = tmp_path / "crawl.warc"
    f.write_bytes(make_warc([("https://example.org/a", html, "text/html", "200 OK")], gz=False))
    [raw] = read_all(f)
    assert normalize(raw).published == "2022-06-01"  # type: ignore[arg-type]


# --- detection by content ------------------------------------------------------------------


def test_detection_ignores_misleading_names(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(page(), encoding="utf-8")
    (tmp_path / "records.dat").write_text(json.dumps({"text": PARAGRAPHS[0]}) + "\n", encoding="utf-8")
    (tmp_path / "feed.html").write_text(RSS, encoding="utf-8")
    warc = make_warc([("https://e.org/", page().encode(), "text/html", "200 OK")], gz=True)
    (tmp_path / "crawl.bin").write_bytes(warc)
    formats = {Path(d.path or "").name: d.format for d in docs(read_all(tmp_path))}
    assert formats == {"page.txt": "html", "records.dat": "jsonl", "feed.html": "feed", "crawl.bin": "warc"}


@pytest.mark.parametrize(("data", "expected"), [
    (b"<?xml version='1.0'?>\n<!-- c -->\n<rdf:RDF xmlns:rdf='x'></rdf:RDF>", "feed"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "feed"),
    (b"<!doctype html><p>x", "html"),
    (b"<div><p>One</p><p>Two</p><p>Three</p><a href='/'>x</a></div>", "html"),
    (b"Some text with a <br> in it and more words around it, and more, and more.", "text"),
    (b"\n\n{\"text\": \"x\"}\n", "jsonl"),
    (b"[{\"text\": \"x\"}]", "jsonl"),
    (b"[Update] The story continues.", "text"),
    (b"WARC/1.0\r\n", "warc"),
    (b"%PDF-1.7\n", "binary"),
])
def test_detect_format_by_content(data: bytes, expected: str) -> None:
    assert detect_format("x.txt", data) == expected


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-06-12", "2022-06-12"),
    ("2022/06/12", "2022-06-12"),
    ("2016-10-24T22:00:00Z", "2016-10-24T22:00:00+00:00"),
    ("Mon, 24 Oct 2016 22:00:00 +0500", "2016-10-24T22:00:00+05:00"),
    ("24. Oktober 2016", "2016-10-24"),
    ("October 24, 2016 9:30 PM EDT", "2016-10-24T21:30:00-04:00"),
    ("yesterday", None),
    ("not a date at all", None),
    ("2016年10月24日", "2016-10-24"),
    ("October 24th, 2016 — 9:30", "2016-10-24T09:30:00"),
    ("24 Oct 2016 " + "x" * 100, None),  # longer than any date: refused before dateparser tries every locale
    ("2016 ⟁⟁ 24 ⧫ Oct", None),  # symbols no date is written with: likewise
    ("", None),
    (None, None),
])
def test_parse_date(value: str | None, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_derive_title_skips_abbreviations() -> None:
    assert derive_title("Mr. Smith went to Washington on Oct. 24. He met Dr. Jones.") == \
        "Mr. Smith went to Washington on Oct. 24"


def test_normalize_rejects_empty_text() -> None:
    with pytest.raises(ValueError, match="no main text"):
        normalize(RawDocument(origin="blank.html", format="html", html="<html><body> </body></html>"))
    messy = "Line one  \r\n\r\n\r\n\r\nLine two\t\r\n"
    article = normalize(RawDocument(origin="x", format="text", text=messy))
    assert isinstance(article, Article) and article.text == "Line one\n\nLine two"


def test_json_lines_whose_text_holds_html_tags_is_still_json_lines() -> None:
    record = {"text": "<p>One</p> <p>two</p> <b>three</b> <i>four</i> <a href='x'>five</a> plain words after"}
    data = (json.dumps(record) + "\n").encode()
    assert detect_format("feed.dat", data) == "jsonl"


@pytest.mark.parametrize("dateline", ["CNN —", "London CNN —", "New York CNN Business —", "BERLIN (dpa) -"])
def test_a_dateline_on_its_own_line_is_not_the_title(dateline: str) -> None:
    text = f"{dateline}\n\nFloods closed the northern half of the park on Monday. Rangers said roads were gone."
    assert derive_title(text) == "Floods closed the northern half of the park on Monday"


def test_a_headline_ending_in_a_hyphenated_word_is_still_a_headline() -> None:
    assert derive_title("Rain-soaked city re-opens\n\nThe city re-opened on Monday.") == "Rain-soaked city re-opens"
