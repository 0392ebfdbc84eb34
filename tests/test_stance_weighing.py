"""The stance label says its balance, what it rests on, its trend over time and where outlets differ."""

from __future__ import annotations

from newsdesk.answer.stance import Event, balance, group_events, stance_summary
from newsdesk.model import Article, Relation

_POLARITY = {"attack": (-1.0, "action"), "condemn": (-0.6, "statement"), "aid": (0.8, "action"),
             "support": (0.7, "statement"), "meet": (0.3, "action")}


def events(spec: list[tuple[str, str, str]]) -> list[Event]:
    """Events from (article id, action, publication day); each article is its own outlet `outlet-<id>`."""
    relations, articles = [], {}
    for n, (aid, action, day) in enumerate(spec):
        polarity, mode = _POLARITY[action]
        relations.append(Relation(aid, n, 0, 10, "X", "Y", action, polarity, mode, anchor=f"e{n}"))
        articles[aid] = Article(aid, "x" * 10, "t", published=day, outlet=f"outlet-{aid[0]}")
    return group_events(relations, articles)


def test_a_dozen_attacks_and_two_friendly_acts_read_hostile_with_the_friendly_acts_named() -> None:
    spec = [(f"a{i}", "attack", "2024-01-01") for i in range(12)] + [("b1", "aid", "2024-01-02"),
                                                                     ("b2", "support", "2024-01-03")]
    label, said = balance(events(spec))
    assert (label, said) == ("hostile", "hostile, with 2 friendly acts")


def test_two_attacks_against_one_friendly_act_stay_mixed_with_both_counts() -> None:
    label, said = balance(events([("a1", "attack", None), ("a2", "attack", None), ("b1", "aid", None)]))
    assert (label, said) == ("mixed", "mixed (2 hostile acts, 1 friendly act)")


def test_friendly_majority_names_its_hostile_acts() -> None:
    spec = [("a1", "condemn", None), ("b1", "aid", None), ("b2", "aid", None), ("b3", "support", None)]
    assert balance(events(spec)) == ("friendly", "friendly, with 1 hostile act")


def test_own_statements_are_counted_apart_from_actions() -> None:
    part = stance_summary(events([("a1", "attack", None), ("a2", "condemn", None), ("a3", "attack", None),
                                  ("a4", "aid", None)]), "X", "Y")
    assert part.actions == {"hostile": 2, "friendly": 1, "neutral": 0}
    assert part.statements == {"hostile": 1, "friendly": 0, "neutral": 0}
    assert part.own_statements == 1
    assert "acts (" in part.summary and "1 statement of its own (1 hostile)" in part.summary


def test_meetings_beside_hostile_acts_do_not_make_the_stance_mixed() -> None:
    # Washington and Beijing: attacks, a demand, a lawsuit, and two meetings (rivals meet too).
    spec = [("a1", "attack", None), ("a2", "attack", None), ("a3", "condemn", None), ("b1", "meet", None),
            ("b2", "meet", None)]
    assert balance(events(spec)) == ("hostile", "hostile")
    part = stance_summary(events(spec), "X", "Y")
    assert part.friendly == 0 and part.actions == {"hostile": 2, "friendly": 0, "neutral": 2}
    assert "2 meetings" in part.summary and "0 friendly acts" in part.summary


def test_a_meeting_beside_a_hostile_statement_is_counted_neutral_among_the_acts_too() -> None:
    part = stance_summary(events([("a1", "condemn", None), ("b1", "meet", None)]), "X", "Y")
    assert part.actions == {"hostile": 0, "friendly": 0, "neutral": 1}
    assert "1 act (1 neutral)" in part.summary and "0 friendly acts" in part.summary


def test_meetings_alone_still_read_cooperative() -> None:
    assert balance(events([("b1", "meet", None), ("b2", "meet", None)])) == ("cooperative", "cooperative")


def test_trend_compares_the_last_thirty_days_with_before() -> None:
    spec = [("a1", "aid", "2024-01-01"), ("a2", "support", "2024-01-10"), ("a3", "aid", "2024-01-20"),
            ("a4", "attack", "2024-03-01"), ("a5", "attack", "2024-03-10"), ("a6", "attack", "2024-03-20")]
    part = stance_summary(events(spec), "X", "Y")
    assert part.trend is not None
    assert (part.trend.until, part.trend.recent, part.trend.before) == ("2024-03-20", "hostile", "friendly")
    assert part.trend.direction == "more hostile"
    assert "last 30 days to 2024-03-20: hostile, before: friendly (more hostile)" in part.summary


def test_no_trend_when_all_events_fall_within_thirty_days() -> None:
    part = stance_summary(events([("a1", "attack", "2024-03-01"), ("a2", "attack", "2024-03-20")]), "X", "Y")
    assert part.trend is None


def test_outlets_reporting_the_relation_differently_are_listed() -> None:
    spec = [("a1", "attack", None), ("a2", "attack", None), ("b1", "aid", None), ("b2", "support", None)]
    part = stance_summary(events(spec), "X", "Y", outlets={aid: f"outlet-{aid[0]}" for aid, _, _ in spec})
    assert [(o.outlet, o.balance) for o in part.outlets] == [("outlet-a", "hostile"), ("outlet-b", "friendly")]
    assert "according to outlet-a: hostile; outlet-b: friendly" in part.summary


def test_outlets_that_agree_are_not_listed() -> None:
    spec = [("a1", "attack", None), ("b1", "attack", None)]
    part = stance_summary(events(spec), "X", "Y", outlets={aid: f"outlet-{aid[0]}" for aid, _, _ in spec})
    assert part.outlets == [] and "according to" not in part.summary


def test_only_others_accounts_give_their_balance_said_to_be_theirs() -> None:
    relation = Relation("a1", 0, 0, 10, "X", "Y", "aid", 0.8, "action", speaker="Z", speaker_text="officials")
    part = stance_summary(group_events([relation], {"a1": Article("a1", "x" * 10, "t")}), "X", "Y")
    assert (part.label, part.balance) == ("friendly", "friendly, by others' accounts")
    assert part.summary.startswith("friendly, by others' accounts: no act or statement of X's own")
    assert part.attributed == 1 and part.friendly == 0, "the counts still keep own and attributed apart"
