"""Actors in an article: names, acronyms, demonyms, institutions and references, resolved to one actor each.

Why this shape: a relation is only useful when "IS", "the Islamic State", "the group" and "the
militants' Amaq news agency" all count for one actor, and "Pakistani authorities", "Pakistan's
security forces" and "police cadets in Quetta" for one state. Cheap rules run on every sentence (the
bundled actor table, parenthetical acronyms, organisation-like names, titled persons, demonym +
noun); the named-entity model adds the names nothing else knows, only in sentences that are parsed
for relations. Resolution is per article: a reference ("the group") goes to the nearest earlier actor
of a fitting kind, or failing that the next one.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from newsdesk.analyze.actor_table import ActorTable, letters_key
from newsdesk.analyze.lexicon import (
    ARMED_NOUNS,
    EN,
    EVENT_NOUNS,
    FACILITY_NOUNS,
    NOUNS,
    PEOPLE_NOUNS,
    PERSON_TITLES,
    REFERENCE_NOUNS,
    STATE_NOUNS,
    STATE_TITLES,
    is_trigger,
)
from newsdesk.analyze.months import MONTH_ABBREVIATIONS, MONTHS, WEEKDAY_NAMES, WEEKDAYS
from newsdesk.analyze.names import (
    NAME_BEFORE_TITLE,
    ORGANISATION_NAME,
    PERSON_BEFORE_COMMA,
    PERSON_NAME,
    PROPER_WORD_LATER,
)
from newsdesk.analyze.vocabulary import word_set
from newsdesk.model import Article, Mention, Sentence

# --- organisation-like names ("Halvard Chemicals", "Chemical and Port Workers' Union") --------------------
_SUFFIX_KIND: dict[str, str] = {
    word: kind for kind, words in EN["organisation_suffixes"].items() for word in words.split()
}
_ACRONYM_DEF = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z\-.&]{1,9})\)")
_STATE_AGENCY = word_set(EN["state_agency_words"])
# "Chinese Ministry of ", "Ukraine's Ministry of the ": a state's ministry whose name runs on before a title.
_MINISTRY_OF = re.compile(r"(?P<owner>[A-Z][\w.]*(?:['’]s)?)[ \t]+(?:Ministry|Department|Office|Bureau)[ \t]+of"
                          r"[ \t]+(?:the[ \t]+)?$")

# --- persons with a title ("Governor Ruth Amsel", "company spokeswoman Dana Okafor") ----------------------
_TITLED = re.compile(rf"(?<![\w.])(?P<title>(?:(?:{PERSON_TITLES})[ \t]+){{1,3}})(?P<name>{PERSON_NAME})")
_AFFILIATION = re.compile(
    r",\s+(?:the|a|an|its|their)?\s*(?:[\w\-]+\s+){0,3}?"
    rf"(?:{EN['affiliation_roles']})\s+"
    r"(?:of|for|at|to)\s+(?:the\s+)?"
)
_OWNER_BEFORE = re.compile(r"(?:['’]s)?\s+$")
_REFERENCE = re.compile(
    r"\b(?P<det>the|its|their|this|that)\s+(?:(?:so-called|(?!(?:the|its|their|this|that)\s)(?-i:[a-z][a-z\-]*)|(?P<backed>(?-i:[A-Z]\w*)[-‐–][a-z]+ed))"
    r"\s+){0,2}?"
    rf"(?P<noun>{'|'.join(sorted(REFERENCE_NOUNS, key=len, reverse=True))})\b(?!\s+(?-i:[A-Z]))(?:['’]s?)?",
    re.IGNORECASE,
)
_ROLE_REFERENCE = re.compile(rf"\bthe\s+(?P<role>{EN['role_references']})\b", re.IGNORECASE)
_ARMED_CONTEXT = re.compile(rf"\b(?:{EN['armed_adjectives']})s?\s+(?:{EN['group_nouns']})\s+$", re.IGNORECASE)
_PHRASE_AFTER = re.compile(r"(?:['’]s?)?\s+(?P<mods>(?:[a-z][a-z\-]*\s+){0,2}?)(?P<noun>[a-z]+)\b")
_PLACE_BEFORE = re.compile(rf"\b(?:{EN['place_before']})\s+$")
_DESCRIPTOR_NEXT = re.compile(rf"\s+(?:{EN['descriptor_nouns']})s?\b")
_ARGUMENT_DEPS = frozenset("nsubj nsubjpass dobj pobj prep agent compound poss appos conj dative".split())
_NOT_NAMES = word_set(EN["not_owner_words"])
_WORDS = re.compile(r"[A-Za-z]+")
_CUE_WORDS = STATE_NOUNS | ARMED_NOUNS | frozenset(REFERENCE_NOUNS) | word_set(EN["cue_pronouns"])
_AMBIGUOUS_PLACES = word_set(EN["ambiguous_places"])
# Nouns a name before them owns ("Taliban fighters", "Halvard managers"); other nouns a one-word model-found name
# merely modifies ("Flash floods").
_OWNED_NOUNS = STATE_NOUNS | ARMED_NOUNS | PEOPLE_NOUNS | word_set(EN["owned_nouns"])
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_SKIP_ENT = re.compile(rf"[/:@,]|^\W|^(?:the\s+)?(?:{WEEKDAY_NAMES})")
# "a group of lawyers", "two of the attackers": heads that stand for the noun after "of".
_PART_OF_HEADS = word_set(EN["part_of_heads"])
# "our partner", "its rival": someone named by a tie to the owner, not the owner.
_RELATIONAL_NOUNS = word_set(EN["relational_nouns"])
# "Twitter users", "Capitol rioters": people an actor or place serves or draws, neither it nor its members.
_CLIENTELE_NOUNS = word_set(EN["clientele_nouns"])
# Titles of heads of state or government ("President", "Prime Minister"): often foreign in world news.
_HEAD_TITLES = word_set(EN["head_titles"])
# "their Norwegian counterparts": officials of that nationality, unlike "U.S. allies" (the allies of the US).
_COUNTERPARTS = word_set(EN["counterpart_nouns"])
# "a Japanese billionaire": a nationality, not the state acting.
_PRIVATE_PERSON_NOUNS = word_set(EN["private_person_nouns"])
# Heads a name set before them still stands for: its people and parts ("Taliban fighters", "the Biden
# administration") and its acts ("the Hamas attack"); before any other noun the name only labels a thing ("his Ohio
# House seat", "the Iran deal"); some things are the named one's cause ("support for NATO membership").
_ACTOR_HEADS = _OWNED_NOUNS | FACILITY_NOUNS | EVENT_NOUNS | frozenset(NOUNS) | word_set(EN["owner_cause_nouns"])
# A capital before a noun names an event held there ("the Paris climate talks"), not the state, unless the noun is
# the state's people or parts ("Kyiv officials").
_CAPITAL_HEADS = _OWNED_NOUNS | FACILITY_NOUNS
_CAL_WORDS = frozenset(w.capitalize() for w in (*WEEKDAYS, *MONTHS, *MONTH_ABBREVIATIONS)) | {"I"}


@dataclass(frozen=True)
class Ref:
    """What a phrase stands for: an actor (with the part of it meant), as relations use it."""

    actor: str
    kind: str
    part: str | None = None
    inferred: bool = False  # the article's country, assumed for a place or institution that names none
    people: bool = False  # a nation's people by its demonym ("urged Americans to"), not its state


def org_kind(name: str) -> str | None:
    """The kind an organisation-like name suggests by its last word ("... Union" -> union), or None."""
    words = re.findall(r"[\w&]+", name)
    return _SUFFIX_KIND.get(words[-1]) if words else None


_HYPHENS = frozenset("-‐–")
# Names that act on no one: a disease, a storm, a fire ("COVID-19 has killed", "Hurricane Ian", "the Moose Fire").
NON_AGENTS = word_set(EN["non_agents"])
# Names that are places, whatever the tagger says ("Sequoia National Park" tagged ORG).
PLACE_HEADS = word_set(EN["place_heads"])


def non_agent(name: str) -> bool:
    """Whether a name's first or last word makes it a disease, storm or fire rather than an actor."""
    words = name.casefold().split()
    return bool(words) and (words[0] in NON_AGENTS or words[-1] in NON_AGENTS)
# A demonym joined to a participle names where a thing comes from or who backs it, not the state acting.
_REGION_WORD_BEFORE = re.compile(rf"\b(?:{'|'.join(EN['region_words_before_demonyms'].split())})[ \t-]$")
# A photo credit run into a caption ("Toby Melville/Reuters Britain's Queen ...", "Mandel Ngan/AFP/Getty Images
# President ..."): names with a slash, ending with a picture agency; nobody in it acts.
_PHOTO_CREDIT = re.compile(
    rf"(?:[A-Z][\w'’.-]*[ \t]){{0,3}}[A-Z][\w'’.-]*(?:/[A-Z][\w'’.-]*(?:[ \t][A-Z][\w'’.-]*){{0,2}})*"
    rf"/(?:{'|'.join(re.escape(a) for a in sorted(EN['picture_agencies'].split('|'), key=len, reverse=True))})"
    rf"(?:[ \t]via[ \t](?:AP|Getty Images|Reuters))?\b")
_CAPITALISED_BEFORE = re.compile(r"\b([A-Z][a-z]+)\s+$")
_TITLE_WORD = re.compile(PERSON_TITLES)
_MADE_BY = re.compile(r"[-‐–](?:[a-z]+ed|made|built|run|led|based)\b")
# A capitalised word right before a leader's surname that is no title: "Hunter Biden" is not the president.
_WORD_BEFORE = re.compile(rf"(?<![\w.])(?!(?:{PERSON_TITLES})\s+$)[A-Z][a-z]+\s+$")
# Where a sentence starts: a full stop, unless it ends an abbreviated title ("Rep.", "Gen.", "Mrs.").
_SENTENCE_START = re.compile(
    r"(?:^|[!?:;\"“”(\n]|(?<![A-Z][a-z])(?<![A-Z][a-z]{2})(?<![A-Z][a-z]{3})(?<!\b[A-Z])\.)\s*$")


def _other_first_name(text: str, start: int) -> bool:
    """A mid-sentence capitalised word, not a title, right before `start` ("Hunter Biden", "Rep. Jim Jordan";
    not "When Biden", where the word opens the sentence)."""
    word = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return word is not None and not _SENTENCE_START.search(text, max(0, word.start() - 8), word.start())


class ArticleActors:
    """The actors of one article, built sentence by sentence in order."""

    def __init__(self, article: Article, sentences: list[Sentence], table: ActorTable) -> None:
        self.article = article
        self.text = article.text
        self.sentences = sentences
        self.table = table
        self._starts = [s.start for s in sentences]
        self.kinds: dict[str, str] = {}  # actor -> kind, for actors not in the table
        self.aliases: dict[str, str] = {}  # letters key of an in-article name or acronym -> actor
        self.base: dict[int, list[Mention]] = {}  # sentence -> mentions found by rules
        self.mentions: list[Mention] = []  # final, in text order, filled by `resolve`
        self._by_sentence: dict[int, list[Mention]] = {}
        self.persons: dict[str, Ref] = {}  # full name -> what the person speaks for
        self.roles: dict[str, list[tuple[int, str]]] = {}  # "governor" -> (where, full name), in text order
        self.credits = Spans()  # photo credits run into captions: no actor is named inside them
        self.places: set[str] = set()
        self._resolved: set[int] = set()
        self._build()

    # -- rules over the whole text ----------------------------------------------------------------------

    def sentence_at(self, offset: int) -> int:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.sentences[max(i, 0)].index if self.sentences else 0

    def kind_of(self, actor: str) -> str:
        info = self.table.actors.get(actor)
        return info.kind if info else self.kinds.get(actor, "organization")

    def _add(self, mentions: list[Mention], start: int, end: int, actor: str, kind: str, part: str | None,
             how: str) -> None:
        mentions.append(Mention(self.article.id, self.sentence_at(start), start, end, self.text[start:end], actor,
                                kind, part, how))

    def _build(self) -> None:
        text = self.text
        found: list[Mention] = []
        credits = [m.span() for m in _PHOTO_CREDIT.finditer(text)]
        self.credits = Spans(credits)
        for hit in self.table.scan(text):
            info = self.table.actors[hit.actor]
            if self.credits.overlaps(hit.start, hit.end):
                continue  # "Toby Melville/Reuters Britain's Queen ...": the photographer's agency, no actor here
            part = None
            if hit.how == "leader":  # "Putin said": Russia, by its leader, while in office and not "Hunter Biden"
                if not self.table.in_office(text[hit.start:hit.end], hit.actor, self.article.published) \
                        or _other_first_name(text, hit.start):
                    continue
                part = text[hit.start:hit.end]
            elif hit.how in ("institution", "territory", "capital"):  # "the Kremlin said": Russia, the part kept
                part = text[hit.start:hit.end] if hit.how != "capital" else None
                if " " not in text[hit.start:hit.end] and _other_first_name(text, hit.start):
                    continue  # "Emma Sofia", "George Washington": a person's name, not the capital
            elif text[hit.start:hit.end] in _AMBIGUOUS_PLACES and _other_first_name(text, hit.start):
                continue  # "Rep. Jim Jordan", "Michael Jordan": a person, not the country
            elif hit.how == "demonym" and _MADE_BY.match(text, hit.end):
                continue  # "a Russian-made missile", "Russian-backed separatists": not Russia acting
            elif hit.how == "demonym" and _REGION_WORD_BEFORE.search(text, max(0, hit.start - 10), hit.start):
                continue  # "Latin American countries", "Native American tribes": a region or people, not the state
            self._add(found, hit.start, hit.end, hit.actor, info.kind, part, hit.how)
        taken = Spans([*((m.start, m.end) for m in found), *credits])
        # Organisation-like names and their parenthetical acronyms.
        for match in ORGANISATION_NAME.finditer(text):
            start, end = match.span()
            name = match.group(0)
            article = re.match(r"(?:The|An|A) ", name)
            if article:  # "The Kremlin", "A Secret Service official": the name without its article
                start, name = start + article.end(), name[article.end():]
            acr = _ACRONYM_DEF.match(text, end)
            kind = org_kind(name)
            if (kind is None and not acr) or taken.overlaps(start, end) or _is_sentence_start_only(text, start, name):
                continue
            known = self.table.get(name)
            actor = known.name if known else name.rstrip("'’")
            if not known:
                self.kinds.setdefault(actor, kind or "organization")
                if _ARMED_CONTEXT.search(text[max(0, start - 40) : start]):
                    self.kinds[actor] = "armed_group"
            self.aliases[letters_key(name)] = actor
            self._add(found, start, end, actor, self.kind_of(actor), None, "name")
            taken.add(start, end)
            if acr and acr.group("acr")[0] == name.lstrip()[0]:
                self.aliases[letters_key(acr.group("acr"))] = actor
        # Acronyms defined above, wherever they recur: only where the text has those capitals (linear in the text).
        capitals = _capital_runs(text) if self.aliases else {}
        for key, actor in list(self.aliases.items()):
            if key.isalpha() and len(key) <= 6:
                acronym = re.compile(r"\b" + r"\.?".join(re.escape(c) for c in key.upper()) + r"\.?\b")
                for m in _matches_at(acronym, text, capitals.get(key.upper(), ())):
                    if not taken.overlaps(*m.span()):
                        self._add(found, m.start(), m.end(), actor, self.kind_of(actor), None, "acronym")
                        taken.add(*m.span())
        self._words = _word_positions(text)
        self._short_forms(found, taken)
        self._persons(found, taken)
        self._phrases(found)
        states = Counter(m.actor for m in found if m.kind == "state" and m.text not in _AMBIGUOUS_PLACES)
        ranked = states.most_common(2)
        # The article's country: named most, and more than once unless it is the only one.
        self.home = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > max(1, ranked[1][1])) else None
        self.countries = [actor for actor, _ in states.most_common()]
        for mention in sorted(found, key=lambda m: m.start):
            self.base.setdefault(mention.sentence_index, []).append(mention)

    def _short_forms(self, found: list[Mention], taken: Spans) -> None:
        """"Halvard" for "Halvard Chemicals": a name's distinctive first word, standing alone, names it too."""
        text = self.text
        for actor in sorted(set(self.aliases.values())):
            first = actor.split()[0]
            if actor == first or actor in self.table.actors or not first[:1].isupper() or len(first) < 4 \
                    or self.kinds.get(actor) in ("agency", None) or first in _CAL_WORDS \
                    or self._word_in_text(first.lower()) or self.table.get(first) is not None \
                    or self._surname_elsewhere(first):
                continue  # "Congress", a known actor, or "Trump" of "Donald Trump": not "Trump Miami Resort LLC"
            alone = re.compile(rf"\b{re.escape(first)}\b(?!['’]?\s+[A-Z])")
            for m in self._word_matches(alone, first):
                if _PLACE_BEFORE.search(text[max(0, m.start() - 24) : m.start()]):
                    continue  # "in Dorrick": the city, not Dorrick Capital
                if not taken.overlaps(*m.span()) and not _is_sentence_start_only(text, m.start(), "x"):
                    self._add(found, m.start(), m.end(), actor, self.kind_of(actor), None, "alias")
                    taken.add(*m.span())
                elif not taken.overlaps(*m.span()) and self.table.get(first) is None:
                    self._add(found, m.start(), m.end(), actor, self.kind_of(actor), None, "alias")
                    taken.add(*m.span())

    def _surname_elsewhere(self, word: str) -> bool:
        """Whether `word` ends a person's name somewhere in the text ("Donald Trump", "Robert Trump"): a capitalised
        word before it that is no title ("President Trump" does not count, "Donald Trump" does). Only where the word
        stands is looked at, so a long text costs no more than its mentions of the word."""
        text = self.text
        for at in self._words.get(word, ()):
            before = _CAPITALISED_BEFORE.search(text, max(0, at - 30), at)
            after = text[at + len(word) : at + len(word) + 2].strip()
            if before and before.group(1) not in _CAL_WORDS and not _TITLE_WORD.fullmatch(before.group(1)) \
                    and not after[:1].isupper():
                return True
        return False

    def _word_in_text(self, word: str) -> bool:
        """Whether `word` stands as a whole word anywhere in the text (`\\bword\\b`)."""
        if _WHOLE_WORD.fullmatch(word):
            return word in self._words
        return re.search(rf"\b{re.escape(word)}\b", self.text) is not None

    def _word_matches(self, pattern: re.Pattern[str], word: str) -> Iterator[re.Match[str]]:
        """`pattern.finditer(text)` for a pattern that starts with `\\bword\\b`, trying only where the word is."""
        if _WHOLE_WORD.fullmatch(word):
            return _matches_at(pattern, self.text, self._words.get(word, ()))
        return pattern.finditer(self.text)

    def _persons(self, found: list[Mention], taken: Spans) -> None:
        """Titled names, what they speak for ("Pakistani Prime Minister X" speaks for Pakistan), and their roles."""
        text = self.text
        index = _FoundIndex(found)
        leaders = {m.start: m for m in found if m.how == "leader"}
        for match in _TITLED.finditer(text):
            name = match.group("name").strip()
            start, end = match.start("name"), match.end("name")
            if len(name.split()) < 2:
                continue
            title = " ".join(match.group("title").split())
            if taken.overlaps(start, end):
                leader = leaders.get(start)
                if leader is not None:  # "President Joe Biden": a later "the president" is him too
                    self.persons.setdefault(name, Ref(leader.actor, leader.kind, leader.part))
                    self.roles.setdefault(title.split()[-1].lower().rstrip("."), []).append((start, name))
                continue
            index.update()
            owner = self._owner_before(index, match.start("title"))
            after = _AFFILIATION.match(text, end)
            if owner is None and after:
                owner = self._owner_at(found, after.end())
            led = self.table.led(name) if owner is None else None
            if led is not None:
                owner = Ref(led, "state")
            if owner is None and title.lower().split()[0] in STATE_TITLES and index.home_guess() \
                    and title.lower().split()[0] not in _HEAD_TITLES:  # "Prime Minister Scott Morrison" in a
                # report naming Russia most is no Russian: a head of state or government unnamed by country and
                # unknown to the leaders table stays a person; a governor or senator is the article's country's
                owner = Ref(index.home_guess() or "", "state")
            self._person(found, taken, start, end, name, title, owner)
        # "Jonas Keel, regional secretary of the union" without a title before the name.
        for match in PERSON_BEFORE_COMMA.finditer(text):
            start, end = match.span("name")
            after = _AFFILIATION.match(text, end)
            if not after or taken.overlaps(start, end):
                continue
            owner = self._owner_at(found, after.end())
            self._person(found, taken, start, end, match.group("name"), None, owner)

    def _person(self, found: list[Mention], taken: Spans, start: int, end: int, name: str,
                title: str | None, owner: Ref | None) -> None:
        part = f"{title} {name}" if title else name
        ref = Ref(owner.actor, owner.kind, part) if owner else Ref(name, "person", None)
        self.persons.setdefault(name, ref)
        if title:
            self.roles.setdefault(title.split()[-1].lower().rstrip("."), []).append((start, name))
        self._add(found, start, end, ref.actor, ref.kind, ref.part, "person")
        taken.add(start, end)

    def _owner_before(self, index: _FoundIndex, title_start: int) -> Ref | None:
        """The actor named right before a title: "Pakistani Prime Minister", "U.S. State Department spokesman".

        Only a mention ending where the gap before the title ("'s" and spaces) begins can own it, so the
        mentions are looked up by where they end instead of matching the text from each one to the title.
        """
        found = index.found
        gap_start = title_start
        while gap_start > 0 and self.text[gap_start - 1].isspace():
            gap_start -= 1
        if gap_start < title_start:  # at least one space, as `_OWNER_BEFORE` needs
            ends = [gap_start]
            if self.text[gap_start - 2 : gap_start] in ("'s", "’s"):
                ends.append(gap_start - 2)
            first = index.first_ending_at(ends)
            if first is not None:
                return Ref(first.actor, first.kind)
        run = NAME_BEFORE_TITLE.search(self.text, max(0, title_start - 60), title_start)
        words = run.group(1).split() if run else []
        ministry = _MINISTRY_OF.search(self.text, max(0, title_start - 100), run.start()) if run else None
        if ministry is not None:  # "Chinese Ministry of Foreign Affairs spokesperson": China's, not "Foreign Affairs"
            info = self.table.lookup(ministry.group("owner").removesuffix("'s").removesuffix("’s"))
            if info is not None and info.kind == "state":
                return Ref(info.name, "state")
        country = self.table.region_of(words)
        if country is not None:  # "Michigan Gov. Gretchen Whitmer": a US governor, whatever the article's country
            return Ref(country, "state")
        if words and not _NOT_NAMES & set(words) and (len(words) > 1 or self.table.get(words[0]) or org_kind(
                words[0])):  # "Harbour Logistics spokesman Tom Reyes", not "Transportation Secretary Elaine Chao"
            name = " ".join(words)
            known = self.table.get(name)
            actor = known.name if known else self.aliases.get(letters_key(name), name)
            self.kinds.setdefault(actor, org_kind(actor) or "organization")
            return Ref(actor, self.kind_of(actor))
        before = self.text[max(0, title_start - 12) : title_start].lower()
        for noun, kinds in (("company", ("company",)), ("union", ("union",))):
            if before.rstrip().endswith(noun):
                nearest = self._nearest(found, title_start, kinds)
                if nearest:
                    return Ref(nearest, self.kind_of(nearest))
        return None

    def _owner_at(self, found: list[Mention], offset: int) -> Ref | None:
        """The actor a phrase starting at `offset` names ("the Chemical and Port Workers' Union", "the union")."""
        near = [m for m in found if offset <= m.start < offset + 40 and m.kind != "person"]
        if near:
            m = min(near, key=lambda m: m.start)
            return Ref(m.actor, m.kind)
        word = re.match(r"[a-z]+", self.text[offset : offset + 20])
        if word and word.group(0) in REFERENCE_NOUNS:
            actor = self._nearest(found, offset, REFERENCE_NOUNS[word.group(0)])
            if actor:
                return Ref(actor, self.kind_of(actor))
        return None

    def _nearest(self, found: list[Mention], offset: int, kinds: tuple[str, ...]) -> str | None:
        """The actor of a fitting kind named nearest before `offset`, else first after it."""
        before = [m for m in found if m.end <= offset and m.kind in kinds and m.how != "reference"]
        if before:
            return max(before, key=lambda m: m.end).actor
        after = [m for m in found if m.start >= offset and m.kind in kinds and m.how != "reference"]
        return min(after, key=lambda m: m.start).actor if after else None

    def _home_guess(self, found: list[Mention]) -> str | None:
        states = Counter(m.actor for m in found if m.kind == "state")
        return states.most_common(1)[0][0] if states else None

    def _phrases(self, found: list[Mention]) -> None:
        """Country + noun: "Pakistani authorities" (the state), "Afghan militants" (a group), "Pakistani cadets"."""
        for m in list(found):
            if m.kind != "state" or m.how == "person":
                continue
            after = _PHRASE_AFTER.match(self.text, m.end)
            if not after:
                continue
            noun = after.group("noun")
            end = after.end()
            while noun in STATE_NOUNS or noun in PEOPLE_NOUNS:  # "security forces", "police cadets"
                more = _NEXT_WORD.match(self.text, end)
                if not more or more.group(1) not in STATE_NOUNS | PEOPLE_NOUNS | FACILITY_NOUNS:
                    break
                noun, end = more.group(1), more.end()
            phrase = " ".join(self.text[after.start("mods") : end].split())
            if noun in STATE_NOUNS or noun in PEOPLE_NOUNS:
                found.remove(m)
                self._add(found, m.start, end, m.actor, "state", phrase, "institution")
            elif noun in ARMED_NOUNS and m.how == "demonym" and not after.group("mods") \
                    and not _DESCRIPTOR_NEXT.match(self.text, after.end()):
                group = f"{self.text[m.start:m.end]} {noun}"
                if not group.endswith("s"):
                    group += "s"
                self.kinds[group] = "armed_group"
                found.remove(m)
                self._add(found, m.start, after.end(), group, "armed_group", None, "demonym")

    # -- per sentence, in order ----------------------------------------------------------------------------

    def worth_parsing(self, index: int) -> bool:
        """Whether a sentence with a relation word can name an actor at all: a known name, a proper name, an
        institution or group noun, or a person's pronoun (most news sentences do; the rest are not parsed)."""
        if self.base.get(index):
            return True
        text = self.sentences[index].text
        if PROPER_WORD_LATER.search(text, 1):
            return True
        return not _CUE_WORDS.isdisjoint(w.lower() for w in _WORDS.findall(text))

    def learn_places(self, doc: Any) -> None:
        """Names the model tags as places anywhere in the article, so the same name tagged ORG elsewhere is one too."""
        self.places.update(ent.text for ent in doc.ents if ent.label_ in ("GPE", "LOC", "FAC"))

    def needs_ner(self, index: int, doc: Any) -> bool:
        """Whether a proper name the rules did not resolve stands where a relation needs an actor (the subject or
        object of a relation word); only then does the named-entity model run on the sentence."""
        sentence = self.sentences[index]
        spans = [(m.start - sentence.start, m.end - sentence.start) for m in self.base.get(index, [])]
        for tok in doc:
            if tok.tag_ not in ("NNP", "NNPS") or tok.text in _CAL_WORDS or not tok.text[:1].isupper():
                continue
            if any(s <= tok.idx < e for s, e in spans):
                continue
            node = tok
            for _ in range(4):
                if node.dep_ not in _ARGUMENT_DEPS or node.head.i == node.i:
                    break
                node = node.head
                if is_trigger(node.lower_):
                    return True
        return False

    def resolve(self, index: int, doc: Any | None = None) -> list[Mention]:
        """The sentence's mentions: rules, named entities (when `doc` has them) and resolved references."""
        if index in self._resolved:
            return self.sentence_mentions(index)
        self._resolved.add(index)
        sentence = self.sentences[index]
        out = list(self.base.get(index, []))
        spans = [(m.start, m.end) for m in out]
        if doc is not None:
            for ent in doc.ents:
                start, end = sentence.start + ent.start_char, sentence.start + ent.end_char
                if _overlaps(spans, start, end) or _SKIP_ENT.search(ent.text) or self.credits.overlaps(start, end):
                    continue
                mention = self._entity(ent.label_, start, end)
                if mention is not None:
                    out.append(mention)
                    spans.append((start, end))
        for match in _REFERENCE.finditer(sentence.text):
            # "the Iran-backed group": the group is the noun alone, Iran is named apart
            first = match.start("noun") if match.group("backed") else match.start()
            start, end = sentence.start + first, sentence.start + match.end()
            if _overlaps(spans, start, end):
                continue
            kinds = REFERENCE_NOUNS[match.group("noun").lower()]
            if match.group("det").lower() in ("this", "that") and match.group("noun").lower() != "company":
                continue
            actor = self._antecedent(out, start, kinds)
            if actor:
                out.append(Mention(self.article.id, index, start, end, self.text[start:end], actor,
                                   self.kind_of(actor), None, "reference"))
                spans.append((start, end))
        for match in _ROLE_REFERENCE.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            name = self._role_holder(match.group("role").lower().split()[-1], start)
            if name and not _overlaps(spans, start, end):
                ref = self.persons[name]
                out.append(Mention(self.article.id, index, start, end, self.text[start:end], ref.actor, ref.kind,
                                   ref.part, "reference"))
        out.sort(key=lambda m: m.start)
        self.mentions.extend(out)
        self._by_sentence[index] = out
        return out

    def _role_holder(self, role: str, offset: int) -> str | None:
        """Who "the president" is: the one last titled so before `offset` (a timeline's "President Anwar Sadat"
        early in the text is not the president of a later paragraph), else the first titled so."""
        holders = self.roles.get(role, [])
        before = [name for where, name in holders if where < offset]
        return before[-1] if before else (holders[0][1] if holders else None)

    def sentence_mentions(self, index: int) -> list[Mention]:
        return self._by_sentence.get(index, [])

    def finish(self) -> list[Mention]:
        """Every sentence resolved (rules only where nothing was parsed); the article's mentions in text order."""
        for sentence in self.sentences:
            if sentence.index not in self._resolved:
                self.resolve(sentence.index)
        return sorted(self.mentions, key=lambda m: m.start)

    def _entity(self, label: str, start: int, end: int) -> Mention | None:
        text = self.text[start:end]
        name = re.sub(r"['’]s$", "", re.sub(r"^(?:the|The)\s+", "", text)).rstrip("'’")
        if label in ("GPE", "LOC", "FAC"):
            self.places.add(name)
            return None
        if label in ("ORG", "NORP", "PERSON") and non_agent(name) and not self.table.get(name):
            return None
        if label == "ORG" and name.split()[-1].casefold() in PLACE_HEADS and not self.table.get(name):
            self.places.add(name)  # "Sequoia National Park" tagged ORG: a place
            return None
        if label == "ORG" and " " not in name and not self.table.get(name) and (
                name in self.places or _PLACE_BEFORE.search(self.text[max(0, start - 24) : start])):
            self.places.add(name)  # "the outskirts of Quetta" tagged ORG: a place
            return None
        if label == "PERSON":
            full = self._full_name(name)
            ref = self.persons.get(full) or Ref(full, "person")
            self.persons.setdefault(full, ref)
            return Mention(self.article.id, self.sentence_at(start), start, end, text, ref.actor, ref.kind, ref.part,
                           "ner")
        if label in ("ORG", "NORP"):
            known = self.table.get(name) or (self.table.get(self.aliases[letters_key(name)])
                                             if letters_key(name) in self.aliases else None)
            if known:
                return Mention(self.article.id, self.sentence_at(start), start, end, text, known.name, known.kind,
                               None, "ner")
            if label == "NORP":
                return None
            if " " not in name and self._full_name(name) in self.persons:
                return self._entity("PERSON", start, end)  # "Amsel said" tagged ORG: the person named in full
            actor = self.aliases.get(letters_key(name), name)
            kind = org_kind(actor) or self.kinds.get(actor, "organization")
            if _ARMED_CONTEXT.search(self.text[max(0, start - 40) : start]):
                kind = "armed_group"
            self.kinds.setdefault(actor, kind)
            return Mention(self.article.id, self.sentence_at(start), start, end, text, actor, self.kinds[actor], None,
                           "ner")
        return None

    def _full_name(self, name: str) -> str:
        """A surname alone ("Amsel") is the person named in full elsewhere in the article ("Ruth Amsel")."""
        if " " in name:
            return name
        for full in self.persons:
            if full.split()[-1] == name:
                return full
        return name

    def _antecedent(self, current: list[Mention], offset: int, kinds: tuple[str, ...]) -> str | None:
        """The nearest earlier actor of a fitting kind in this article, else the first one after; not a name
        joined by a hyphen to another ("the Israel-Hamas war" names a war, not the group meant next)."""
        earlier = [m for m in [*self.mentions, *current] if m.start < offset and m.kind in kinds
                   and not self._hyphenated(m)]
        if earlier:
            return max(earlier, key=lambda m: m.start).actor
        later = [m for ms in self.base.values() for m in ms if m.start > offset and m.kind in kinds]
        return min(later, key=lambda m: m.start).actor if later else None

    def _hyphenated(self, m: Mention) -> bool:
        return self.text[m.start - 1 : m.start] in _HYPHENS or self.text[m.end : m.end + 1] in _HYPHENS

    def last_person(self, offset: int, index: int) -> Ref | None:
        """The person named last before `offset` in this or the previous sentence ("Keel said ... he said")."""
        near = [m for i in (index - 1, index) for m in [*self._by_sentence.get(i, []), *self.base.get(i, [])]]
        earlier = [m for m in near
                   if m.start < offset and m.how in ("person", "ner", "leader") and (m.kind == "person" or m.part)]
        if not earlier:
            return None
        m = max(earlier, key=lambda m: m.start)
        return Ref(m.actor, m.kind, m.part)

    # -- what a parsed phrase stands for ----------------------------------------------------------------

    def ref(self, index: int, doc: Any, token: Any, speaker: Ref | None = None, role: str = "target",
            to_head: bool = True) -> Ref | None:
        """The actor a noun phrase (given by its head token) stands for, or None.

        As a `source` (who acts or speaks), only a state's own institutions default to the article's
        country; people and places do so only as a `target` ("police cadets in Quetta").
        """
        base = self.sentences[index].start
        mentions = self.sentence_mentions(index) or self.resolve(index, doc)
        token = _antecedent_token(token)
        if to_head and token.dep_ == "appos" and token.head.i != token.i and token.head.lower_ not in _RELATIONAL_NOUNS:
            head = self.ref(index, doc, token.head, speaker, role)
            if head:
                return head
        low = token.lower_
        pronoun = token.tag_ in ("PRP", "PRP$")  # "us", not "US"
        if pronoun and low in ("i", "we", "me", "us", "our", "my") and speaker is not None:
            return speaker
        if pronoun and low in ("its", "their") and token.dep_ == "poss":
            owner = _clause_subject_of(token)
            if owner is not None:  # "until Russia ends its war on Ukraine": its = Russia, whoever says it
                return self.ref(index, doc, owner, speaker, role)
        if pronoun and low in ("it", "its", "they", "their") and speaker is not None and speaker.kind != "person" \
                and _same_number(speaker.part, low) and token.dep_ in ("nsubj", "nsubjpass", "poss"):
            return speaker  # "Halvard said it was cooperating", "the Houthi militia said it fired": the speaker
        if low in ("he", "she", "him", "her", "his"):
            if speaker is not None and (speaker.kind == "person" or speaker.part):
                return speaker
            return self.last_person(base + token.idx, index)
        # "a group of lawyers", "most of the dead", "two of the attackers": the noun after "of".
        if low in _PART_OF_HEADS and not _has_det(token, "the"):
            of = _prep_object(token, ("of",))
            if of is not None:
                return self.ref(index, doc, of, speaker, role)
        own = _mention_at(mentions, base + token.idx, base + token.idx + len(token.text))
        core = [t for t in token.subtree if t.i == token.i or _in_core(t, token)]
        lo, hi = base + min(t.idx for t in core), base + max(t.idx + len(t.text) for t in core)
        inside = [m for m in mentions if lo <= m.start < hi and not (
            m.how == "ner" and " " not in m.text and token.tag_ in ("NN", "NNS") and low not in _OWNED_NOUNS)]
        if own is not None and not (own.kind == "state" and own.part is None and low in STATE_NOUNS | PEOPLE_NOUNS):
            if own.how == "demonym" and own.kind == "state" and token.tag_ in ("NNPS", "NNS"):
                return Ref(own.actor, own.kind, token.text, people=True)  # "Americans", not "American troops"
            return Ref(own.actor, own.kind, own.part)
        phrase = " ".join(t.text for t in core if t.dep_ not in ("det", "poss", "case", "punct") and
                          not (t.i != token.i and _mention_at(mentions, base + t.idx, base + t.idx + 1)))
        if inside and low in (_RELATIONAL_NOUNS - _COUNTERPARTS) | _CLIENTELE_NOUNS and token.tag_ == "NNS":
            # "U.S. allies who are supplying jets", "Trump supporters", "Twitter users", "Republican voters": others
            # tied to the actor named, not it; a nationality ("Russian users") names a people.
            nation = next((m for m in inside if m.kind == "state" and m.how == "demonym"), None)
            if nation is not None and low in _CLIENTELE_NOUNS:
                return Ref(nation.actor, nation.kind, phrase or None, people=True)
            return None
        if low in STATE_NOUNS or low in PEOPLE_NOUNS or low in FACILITY_NOUNS:
            state = next((m for m in inside if m.kind == "state"), None)
            owner = next((m for m in inside if m.kind != "state" and m.kind != "person"), None)
            if owner is not None and low not in FACILITY_NOUNS:
                return Ref(owner.actor, owner.kind, phrase or None)
            if state is None:
                state = self._state_in(mentions, token, base)
            if state is not None:
                return Ref(state.actor, "state", phrase or None)
            if self.home and low in STATE_NOUNS:
                return Ref(self.home, "state", phrase or None, inferred=True)
            if role == "source":
                return None  # "People accused us", "a toxic compound that kills": not a state acting
            if self.home and low in PEOPLE_NOUNS | FACILITY_NOUNS:
                return Ref(self.home, "state", phrase or None, inferred=True)
            if low in PEOPLE_NOUNS and token.tag_ == "NNS":
                return Ref((phrase or low).lower(), "group", None)  # "the firefighters", "the emergency services"
            return None
        if not inside and token.tag_ == "NNP" and self._full_name(token.text) in self.persons:
            return self.persons[self._full_name(token.text)]  # "Amsel said": the person named in full before
        appositions = [c for c in token.children if c.dep_ == "appos"]
        if inside and appositions and all(_within(m, appositions, base) for m in inside):
            # "Truth Social, the Twitter clone backed by Trump": the apposition's name is not the head's
            return self.ref(index, doc, appositions[0], speaker, role, to_head=False)
        if inside:
            best = min(inside, key=lambda m: (m.kind == "state" and m.how in ("demonym", "name"), m.start))
            if token.tag_ in ("NN", "NNS") and _only_compounds(core, token, inside, base) and (
                    (token.tag_ == "NN" and low not in _ACTOR_HEADS)  # plurals are mostly people: "U.S. Navy SEALs"
                    or (best.how == "capital" and low not in _CAPITAL_HEADS)):
                return None  # "defended his Ohio House seat", "criticized the Paris climate talks": a thing named
            if best.how == "demonym" and low in _PRIVATE_PERSON_NOUNS:
                return None  # "a Japanese billionaire donated": a private person, not Japan
            # "Taliban fighters", "Halvard's managers" are parts; "the union's account", "India's bid" are not.
            is_part = token.tag_ == "NNS" or low in STATE_NOUNS | PEOPLE_NOUNS | ARMED_NOUNS | FACILITY_NOUNS
            return Ref(best.actor, best.kind, best.part or (phrase if is_part else None) or None)
        # "the Halvard's managers": the owner of a thing stands for it ("the union's account" -> the union).
        for child in token.children:
            if child.dep_ == "poss" and low not in _RELATIONAL_NOUNS:
                return self.ref(index, doc, child, speaker, role)
        return None

    def other_country(self, excluded: str) -> str | None:
        """The article's most named country other than `excluded` (where an attack by `excluded` happened)."""
        return next((c for c in self.countries if c != excluded), None)

    def _state_in(self, mentions: list[Mention], token: Any, base: int) -> Mention | None:
        """A country named anywhere in the phrase ("the chief of Pakistan's paramilitary forces", "in Kabul")."""
        offsets = {base + t.idx for t in _phrase_tokens(token)}
        return next((m for m in mentions if m.kind == "state" and m.start in offsets), None)

    def _has_place(self, token: Any) -> bool:
        return any(t.tag_ == "NNP" and t.i != token.i for t in _phrase_tokens(token))


def _clause_subject_of(token: Any) -> Any | None:
    """The named subject of the clause a possessive pronoun stands in ("Russia ends its war": Russia), if any."""
    node = token.head
    for _ in range(4):
        if node.tag_.startswith("VB"):
            subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            agent = next((c for c in node.children if c.dep_ == "agent"), None)
            if subject is None and agent is not None:  # "taken hostage by Hamas during its assault": Hamas
                subject = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if subject is None or subject.tag_ in ("PRP", "PRP$", "WP", "WDT") or subject.i == token.head.i:
                return None
            return subject
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _within(mention: Mention, phrases: list[Any], base: int) -> bool:
    """Whether a mention lies inside one of the phrases (tokens with their subtrees)."""
    return any(base + p.left_edge.idx <= mention.start < base + p.right_edge.idx + len(p.right_edge.text)
               for p in phrases)


def _only_compounds(core: list[Any], head: Any, mentions: list[Mention], base: int) -> bool:
    """Whether every name in the phrase is a compound modifier of a common noun, not an owner ("Russia's") or
    adjective ("Russian")."""
    named = [t for t in core if t.i != head.i and any(m.start <= base + t.idx < m.end for m in mentions)]
    return bool(named) and all(t.dep_ == "compound" and t.tag_ in ("NNP", "NNPS") for t in named)


def _same_number(part: str | None, pronoun: str) -> bool:
    """Whether a pronoun can stand for a speaker named by a part of an actor: "it" for "the militia", not for
    "officials" (nor "they" for "the ministry"); an actor named whole takes either."""
    if not part:
        return True
    plural = part.split()[-1].lower().endswith("s")
    return plural == (pronoun in ("they", "their"))


def _phrase_tokens(token: Any) -> list[Any]:
    """A noun phrase's tokens with its prepositional phrases but without clauses ("which Moscow denies")."""
    out, stack = [], [token]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in node.children if c.dep_ not in ("relcl", "acl", "ccomp", "advcl", "parataxis"))
    return out


def _antecedent_token(token: Any) -> Any:
    """A relative pronoun stands for the noun its clause modifies ("the group that has targeted ...")."""
    if token.lower_ in ("that", "which", "who") and token.head.dep_ in ("relcl", "acl") and token.head.head.i != \
            token.head.i:
        return token.head.head
    return token


def _has_det(token: Any, word: str) -> bool:
    return any(c.dep_ == "det" and c.lower_ == word for c in token.children)


def _prep_object(token: Any, preps: tuple[str, ...]) -> Any | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _in_core(t: Any, head: Any) -> bool:
    """Whether `t` belongs to the head's own words (modifiers, possessor, apposition), not its clauses or preps."""
    node = t
    while node.i != head.i:
        if node.dep_ not in ("compound", "amod", "poss", "nmod", "appos", "det", "case", "punct", "nummod",
                             "quantmod", "advmod", "flat"):
            return False
        node = node.head
        if node.i == node.head.i and node.i != head.i:
            return False
    return True


def _mention_at(mentions: list[Mention], start: int, end: int) -> Mention | None:
    for m in mentions:
        if m.start <= start < m.end or (start <= m.start < end):
            return m
    return None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


class Spans:
    """Character spans already claimed by a mention, asked "does this one overlap any?" in log time.

    An article-long list scanned for every candidate made actor finding quadratic in the text.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._longest = 0
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        self._longest = max(self._longest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any span has s < end and start < e (a span can reach `start` only from `longest` before it)."""
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self._starts[i] > start - self._longest:
            if self._ends[i] > start:
                return True
            i -= 1
        return False


class _FoundIndex:
    """The rule mentions found so far, by where they end and with their states counted, kept up as they grow."""

    def __init__(self, found: list[Mention]) -> None:
        self.found = found
        self._seen = 0
        self._by_end: dict[int, int] = {}  # end offset -> position in `found` of the first mention ending there
        self._states: Counter[str] = Counter()

    def update(self) -> None:
        """Take in the mentions appended since the last call (`found` only grows while persons are found)."""
        for position in range(self._seen, len(self.found)):
            mention = self.found[position]
            self._by_end.setdefault(mention.end, position)
            if mention.kind == "state":
                self._states[mention.actor] += 1
        self._seen = len(self.found)

    def first_ending_at(self, ends: Sequence[int]) -> Mention | None:
        positions = [self._by_end[end] for end in ends if end in self._by_end]
        return self.found[min(positions)] if positions else None

    def home_guess(self) -> str | None:
        """The state named most so far (the first named of those tied)."""
        return self._states.most_common(1)[0][0] if self._states else None


_WHOLE_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"\b[^\W\d_]")


def _word_positions(text: str) -> dict[str, list[int]]:
    """Where each word (a maximal run of word characters) starts, in text order."""
    positions: dict[str, list[int]] = defaultdict(list)
    for match in _WHOLE_WORD.finditer(text):
        positions[match.group()].append(match.start())
    return positions


def _capital_runs(text: str) -> dict[str, list[int]]:
    """Where each run of up to 6 capitals (dots allowed between them: "NATO", "U.S.") starts, by its first letters.

    An acronym pattern `\\bN\\.?A\\.?T\\.?O\\.?\\b` can only match where such a run with those letters starts.
    """
    runs: dict[str, list[int]] = defaultdict(list)
    size = len(text)
    for match in _WORD_START.finditer(text):
        start = match.start()
        if text[start].upper() != text[start]:
            continue
        letters = ""
        i = start
        while len(letters) < 6 and i < size and text[i].isalpha() and text[i].upper() == text[i]:
            letters += text[i]
            i += 1
            if i < size and text[i] == ".":
                i += 1
        for k in range(1, len(letters) + 1):
            runs[letters[:k]].append(start)
    return runs


def _matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields, when a match can only start at one of `starts` (ascending)."""
    end = 0
    for start in starts:
        if start < end:
            continue
        match = pattern.match(text, start)
        if match is not None:
            end = match.end() if match.end() > start else start + 1
            yield match


def _is_sentence_start_only(text: str, start: int, name: str) -> bool:
    """A single capitalised word at the start of a sentence is not a name ("Police said")."""
    return " " not in name and (start == 0 or text[max(0, start - 2) : start].strip() in ("", ".", '"', "“"))


def with_sentence(mention: Mention, index: int) -> Mention:
    return replace(mention, sentence_index=index)
