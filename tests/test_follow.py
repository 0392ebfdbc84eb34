"""Following feeds end to end: a real HTTP server on loopback whose feeds change between polls, a real
SQLite index, the real embedder and analysis. Private hosts are allowed by the test's configuration."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import main
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.follow.entries import FeedError, parse_feed
from newsdesk.follow.poll import Limits
from newsdesk.follow.run import run_cycle
from newsdesk.follow.schedule import backoff, parse_interval
from newsdesk.net.policy import HostPolicy, host_policy
from newsdesk.render.changes import change_dict
from newsdesk.watch.refresh import add_watch
from tests.feed_server import Route, Site, rss, serve

OPEN = host_policy(load_config(allow_private_hosts=True))  # the test's configuration: its server is on loopback
FIRST = ("<p>A bomb killed 60 people at the Riverside market in Kelton on Monday, police said.</p>"
         "<p>The attack happened during the morning rush. Police chief Dana Orr said the bomb was hidden in a "
         "cart.</p>")
UPDATE = ("<p>The death toll from Monday's bombing of the Riverside market in Kelton rose to 61, officials said on "
          "Tuesday.</p><p>Hospitals in Kelton treated more than 100 injured people.</p>")


def item(guid: str, content: str, title: str = "Kelton", day: int = 3) -> dict[str, str]:
    return {"guid": guid, "link": f"http://example.org/{guid}", "title": title,
            "pubDate": f"Mon, 0{day} Jun 2024 10:00:00 GMT", "content": content}


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site()) as running:
        yield running


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    db = tmp_path / "index.db"
    with Desk(db, load_config(db=str(db))) as opened:
        yield opened


def poll(desk: Desk, policy: HostPolicy = OPEN, timeout: float = 5.0) -> list:
    return run_cycle(desk, policy, every_feed=True, limits=Limits(timeout=timeout)).polls


def test_a_new_entry_with_an_updated_toll_is_reported_once_and_an_unchanged_feed_costs_a_304(
        site: Site, desk: Desk) -> None:
    site.routes["/feed"] = Route(rss("Kelton Daily", [item("a1", FIRST, "Bomb kills 60")]), headers={"ETag": '"v1"'})
    feed = desk.store.add_feed(site.url("/feed"), 900)
    assert feed is not None
    [first] = poll(desk)
    assert (first.status, first.entries, first.added) == ("new", 1, 1)
    watch = add_watch(desk, "How many people were killed in the Riverside market bombing in Kelton?")
    assert desk.store.changes() == [], "a new watch's first answer is its baseline, not a change"

    [again] = poll(desk)
    assert again.status == "unchanged"
    assert site.requested("/feed")[-1]["if-none-match"] == '"v1"'
    assert desk.store.changes() == [], "no record when nothing changed"

    site.routes["/feed"] = Route(rss("Kelton Daily", [item("a2", UPDATE, "Toll rises to 61", day=4),
                                                      item("a1", FIRST, "Bomb kills 60")]), headers={"ETag": '"v2"'})
    [update] = poll(desk)
    assert (update.status, update.entries, update.added) == ("new", 1, 1), "a1 was taken before: only a2 is new"
    records = [change_dict(row) for row in desk.store.changes()]
    assert {r["schema"] for r in records} == {"newsdesk.change/1"}
    assert {r["watch"] for r in records} == {watch.id}
    conflict = next(r for r in records if r["kind"] == "conflict")
    assert sorted(v["value"] for v in conflict["conflict"]["versions"]) == ["60", "61"]
    assert len({s["article_id"] for s in conflict["sources"]}) == 2, "the sources on each side"
    statements = [r["statement"] for r in records if r["kind"] == "statement"]
    assert any("rose to 61" in s["text"] for s in statements)
    article = desk.store.article(next(r["source"]["article_id"] for r in records if r["kind"] == "source"))
    assert article is not None and "rose to 61" in article.text
    for s in statements:  # verbatim: every citation is a span of its article
        for c in s["citations"]:
            cited = desk.store.article(c["article_id"])
            assert cited is not None and cited.text[c["start"]:c["end"]] == s["text"]

    poll(desk)
    assert len(desk.store.changes()) == len(records), "nothing reported twice"


def test_a_failing_feed_backs_off_and_follow_list_shows_its_last_error(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "index.db")
    site.routes["/broken"] = Route(b"oops", status=500)
    site.routes["/slow"] = Route(rss("Slow", [item("s1", FIRST)]), delay=3.0)
    with Desk(db, load_config(db=db)) as desk:
        broken = desk.store.add_feed(site.url("/broken"), 600)
        slow = desk.store.add_feed(site.url("/slow"), 600)
        assert broken is not None and slow is not None
        before = time.time()
        outcomes = {o.feed.url: o for o in poll(desk, timeout=1.0)}
        assert outcomes[broken.url].status == outcomes[slow.url].status == "failed"
        assert "500" in (outcomes[broken.url].error or "")
        assert "in time" in (outcomes[slow.url].error or "")
        poll(desk, timeout=1.0)
        states = {f.url: f for f in desk.store.feeds()}
    assert states[broken.url].failures == 2
    assert states[broken.url].next_poll >= before + backoff(600, 2) - 5 > before + 600 * 3, "exponential backoff"
    listed = CliRunner().invoke(main, ["follow", "list", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert "failing (2 in a row" in listed.output and "HTTP 500" in listed.output
    as_json = [json.loads(line) for line in CliRunner().invoke(main, ["follow", "list", "--db", db,
                                                                      "--json"]).output.splitlines()]
    assert {f["url"]: f["failures"] for f in as_json} == {broken.url: 2, slow.url: 2}

    site.routes["/broken"] = Route(rss("Fixed", [item("b1", UPDATE)]))
    with Desk(db, load_config(db=db)) as desk:
        [recovered] = [o for o in poll(desk, timeout=1.0) if o.feed.url == broken.url]
        state = next(f for f in desk.store.feeds() if f.url == broken.url)
    assert recovered.status == "new" and state.failures == 0 and state.last_error is None


def test_a_malformed_feed_fails_alone_and_is_read_in_full_once_repaired(site: Site, desk: Desk) -> None:
    site.routes["/bad"] = Route(b'<?xml version="1.0"?><rss><channel><title>Broken</ti', headers={"ETag": '"bad"'})
    site.routes["/good"] = Route(rss("Good", [item("g1", FIRST)]))
    desk.store.add_feed(site.url("/bad"), 900)
    desk.store.add_feed(site.url("/good"), 900)
    outcomes = {o.feed.url.rsplit("/", 1)[1]: o for o in poll(desk)}
    assert outcomes["bad"].status == "failed" and "could not be parsed" in (outcomes["bad"].error or "")
    assert outcomes["good"].status == "new"
    bad = next(f for f in desk.store.feeds() if f.url.endswith("/bad"))
    assert bad.etag is None, "the ETag of a document that could not be read is not kept (else 304 for ever)"
    site.routes["/bad"] = Route(rss("Bad no more", [item("b1", UPDATE)]), headers={"ETag": '"bad"'})
    [repaired] = [o for o in poll(desk) if o.feed.url.endswith("/bad")]
    assert (repaired.status, repaired.added) == ("new", 1)


def test_a_permanent_redirect_moves_the_stored_url(site: Site, desk: Desk) -> None:
    site.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    site.routes["/new"] = Route(rss("Moved", [item("m1", FIRST)]))
    desk.store.add_feed(site.url("/old"), 900)
    [moved] = poll(desk)
    assert moved.moved_to == site.url("/new") and moved.added == 1
    [feed] = desk.store.feeds()
    assert (feed.url, feed.added_url) == (site.url("/new"), site.url("/old"))
    asked = len(site.requested("/old"))
    poll(desk)
    assert len(site.requested("/old")) == asked, "the next poll goes to the new address"
    assert desk.store.remove_feed(site.url("/old")), "removable by the address it was added as"


def test_a_feed_of_10000_entries_is_taken_once_by_guid_and_by_content_id(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "big.db")
    # 10,000 entries, ten texts: each GUID is taken once, and each text stored once (its content id).
    entries = [item(f"e{n}", f"<p>Report number {n % 10} from the Kelton desk says the market reopened.</p>")
               for n in range(10_000)]
    site.routes["/big"] = Route(rss("Big", entries), headers={"ETag": '"big1"'})
    with Desk(db, load_config(db=db, analysis="")) as desk:  # no analysis steps: this is about the feed
        desk.store.add_feed(site.url("/big"), 900)
        [first] = poll(desk, timeout=30.0)
        assert (first.entries, first.added) == (10_000, 10)
        site.routes["/big"] = Route(rss("Big", [item("e-new", UPDATE), *entries]), headers={"ETag": '"big2"'})
        [second] = poll(desk, timeout=30.0)
        assert (second.entries, second.added) == (1, 1)
        assert desk.store.article_count() == 11
        assert desk.store.feeds()[0].entries == 10_001
        assert len(desk.store.seen_entries(first.feed.id, [f"e{n}" for n in range(10_000)])) == 10_000


def test_an_entry_with_only_a_summary_is_read_from_its_page_unless_robots_txt_forbids(site: Site,
                                                                                       desk: Desk) -> None:
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n")
    site.routes["/news/open"] = Route(f"<html><head><title>Open</title></head><body><article>{UPDATE}"
                                      "<p>Rescue teams searched the rubble through the night.</p></article>"
                                      "</body></html>".encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    site.routes["/private/closed"] = Route(b"<html><body><p>secret page text</p></body></html>")
    site.routes["/feed"] = Route(rss("Summaries", [
        {"guid": "open", "link": site.url("/news/open"), "title": "Open", "description": "Toll rises."},
        {"guid": "closed", "link": site.url("/private/closed"), "title": "Closed",
         "description": "A summary only: the page is off limits."},
    ]))
    desk.store.add_feed(site.url("/feed"), 900)
    [outcome] = poll(desk)
    assert outcome.added == 2
    assert site.requested("/private/closed") == [], "robots.txt is respected"
    assert len(site.requested("/robots.txt")) == 1
    texts = {a.title: a.text for a in desk.store.articles(desk.store.article_ids()).values()}
    assert "Rescue teams searched the rubble" in texts["Open"], "the page, extracted"
    assert texts["Closed"].startswith("A summary only"), "the summary, when the page may not be fetched"
    assert any("robots.txt" in note for note in outcome.notes)


def test_private_hosts_are_refused_unless_the_configuration_allows_them(site: Site, desk: Desk) -> None:
    site.routes["/feed"] = Route(rss("Local", [item("l1", FIRST)]))
    desk.store.add_feed(site.url("/feed"), 900)
    [refused] = poll(desk, policy=HostPolicy())
    assert refused.status == "failed" and "not reachable or not allowed" in (refused.error or "")
    assert site.requested("/feed") == []
    [allowed] = poll(desk, policy=OPEN)
    assert allowed.added == 1


def test_json_feed_and_news_sitemap_entries_are_read() -> None:
    feed = parse_feed(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "JSON Desk",
        "items": [{"id": "j1", "url": "http://example.org/j1", "title": "Full", "content_html": FIRST},
                  {"id": "j2", "url": "http://example.org/j2", "summary": "Only a summary."}],
    }).encode())
    assert (feed.kind, feed.title) == ("json", "JSON Desk")
    assert [(e.guid, e.summary_only) for e in feed.entries] == [("j1", False), ("j2", True)]
    assert feed.entries[0].text.startswith("A bomb killed 60 people")
    sitemap = parse_feed(b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://example.org/s1</loc><news:news><news:publication><news:name>Map Times</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2024-06-04</news:publication_date>
<news:title>Toll rises</news:title></news:news></url></urlset>""")
    assert (sitemap.kind, sitemap.title, sitemap.language) == ("sitemap", "Map Times", "en")
    [entry] = sitemap.entries
    assert (entry.guid, entry.title, entry.published, entry.summary_only) == (
        "http://example.org/s1", "Toll rises", "2024-06-04", True)


def test_a_sitemap_declaring_entities_is_refused_before_parsing() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&b;</loc></url></urlset>')
    with pytest.raises(FeedError, match="DOCTYPE"):
        parse_feed(bomb)


def test_intervals_are_read_with_units_and_bad_ones_are_named() -> None:
    assert [parse_interval(t) for t in ("15m", "2h", "1d", "90s", "45")] == [900, 7200, 86400, 90, 45]
    with pytest.raises(ValueError, match="'soon' is not an interval"):
        parse_interval("soon")
    assert [backoff(60, n) for n in (0, 1, 2, 3)] == [60, 120, 240, 480]
    assert backoff(3600, 20) == 86400


def test_follow_and_watch_commands_add_list_and_remove(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    added = runner.invoke(main, ["follow", "add", site.url("/feed"), "--every", "2h", "--db", db])
    assert added.exit_code == 0 and "every 2h" in added.output
    assert "already following" in runner.invoke(main, ["follow", "add", site.url("/feed"), "--db", db]).output
    bad = runner.invoke(main, ["follow", "add", "file:///etc/passwd", "--db", db])
    assert bad.exit_code != 0 and "not an http(s) URL" in bad.output
    bad_every = runner.invoke(main, ["follow", "add", site.url("/x"), "--every", "often", "--db", db])
    assert bad_every.exit_code != 0 and "--every" in bad_every.output
    watch = runner.invoke(main, ["watch", "add", "Who bombed the market?", "--webhook", site.url("/hook"),
                                 "--db", db])
    assert watch.exit_code == 0, watch.output
    assert "watch 1: Who bombed the market?" in watch.output and "secret" in watch.output
    listed = [json.loads(line) for line in runner.invoke(main, ["watch", "list", "--json", "--db", db]).output
              .splitlines()]
    assert listed == [{"id": 1, "question": "Who bombed the market?", "webhook": site.url("/hook"),
                       "created": listed[0]["created"], "changes": 0}]
    assert "secret" not in json.dumps(listed)
    assert runner.invoke(main, ["watch", "remove", "1", "--db", db]).exit_code == 0
    assert runner.invoke(main, ["watch", "remove", "1", "--db", db]).exit_code != 0
    assert runner.invoke(main, ["follow", "remove", site.url("/feed"), "--db", db]).exit_code == 0
    assert "no feeds followed" in runner.invoke(main, ["follow", "list", "--db", db]).output
