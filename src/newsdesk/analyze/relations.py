"""Relations: who did or said what to whom, per sentence, from the dependency parse.

Why so: a stance question is answered from what one actor did to or said about another, and
every item must cite its sentence. Only sentences holding a relation word (analyze.lexicon) are
parsed, in one batch across the articles of an ingest batch; the rest only get the cheap actor rules.

Per trigger word (a verb such as "blamed", a noun such as "attack on", "responsible for") the
parse gives the source (subject, agent, possessor) and the target (object, "on"/"with"/"against"
phrase); analyze.actors says which actor each phrase stands for. A clause under a reporting verb
("officials said X did Y") is that speaker's account: the relation carries the speaker, and the
speaker's accusation of X is a relation of its own. A claim of responsibility for "the attack"
takes the target of the attack the article reports; "that attack" the one just mentioned; a time
marker ("In August, ...") keeps another event apart from the article's main one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsdesk.analyze.actor_table import load_actor_table
from newsdesk.analyze.actors import PLACE_HEADS, ArticleActors, Ref
from newsdesk.analyze.constructions import Construction, constructions
from newsdesk.analyze.dependency import first as _first
from newsdesk.analyze.dependency import pobj as _pobj
from newsdesk.analyze.dependency import prep as _prep
from newsdesk.analyze.dependency import subject as _subject
from newsdesk.analyze.lexicon import (
    ACTIONS,
    ARMED_NOUNS,
    EN,
    EVENT_NOUNS,
    FACILITY_NOUNS,
    LINK_WORDS,
    NOUNS,
    PEOPLE_NOUNS,
    PERPETRATOR_NOUNS,
    STATE_NOUNS,
    anchor_of,
    is_candidate,
    verb_action,
    verb_forms,
)
from newsdesk.analyze.nlp import parse, recognise
from newsdesk.analyze.parsers import parse_in, parser_language
from newsdesk.analyze.relations_fr import FrenchRelations
from newsdesk.analyze.relations_fr import is_candidate as is_candidate_fr
from newsdesk.analyze.speakers import parsed_speaker
from newsdesk.analyze.vocabulary import word_set
from newsdesk.model import AnalyzedArticle, Article, Relation

_log = logging.getLogger(__name__)

# Bump when extraction changes: stored actors and relations of an older version are re-extracted.
RELATIONS_VERSION = "5"  # 5: French articles (analyze/relations_fr.py); English precision fixes

# Prepositions that introduce the target of an action ("attack on", "talks with", "support for").
_TARGET_PREPS: dict[str, tuple[str, ...]] = {
    action: tuple(preps) for action, preps in EN["target_prepositions"].items()
}
# Verbs that carry an action noun as object: "launched an attack on", "expressed support for".
_LIGHT_VERBS = word_set(EN["light_verbs"])
_WAR_NOUNS = frozenset({"war", "wars"})
_VERB_PREPS: dict[str, tuple[str, ...]] = {verb: tuple(p) for verb, p in EN["verb_target_prepositions"].items()}
# Nouns whose target another preposition introduces: "invasion of Ukraine", "war on Ukraine".
_NOUN_PREPS: dict[str, tuple[str, ...]] = {noun: tuple(p) for noun, p in EN["noun_target_prepositions"].items()}
_DENIED_ROLES = word_set(EN["denied_roles"])
_MET_THINGS = word_set(EN["met_things"])
_EVENT_WORDS = word_set(EN["hosted_events"])
_PUBLIC_ACTIONS = word_set(EN["public_addressees_actions"])
# Nouns that name whom a statement is addressed to ("warned Russia's leaders"), not a thing of theirs.
_ADDRESSEES = STATE_NOUNS | PEOPLE_NOUNS | ARMED_NOUNS | word_set(EN["relational_nouns"]) | word_set(EN["owned_nouns"])


@dataclass
class _Event:
    sentence_index: int
    anchor: str  # "" = the article's main event
    target: Ref


class _ArticleRelations:
    """Relations of one article, sentence by sentence (events mentioned earlier are remembered)."""

    def __init__(self, actors: ArticleActors) -> None:
        self.actors = actors
        self.events: list[_Event] = []
        self.main_anchor: str | None = None
        self.relations: list[Relation] = []
        self._seen: set[tuple[object, ...]] = set()

    # -- events ------------------------------------------------------------------------------------------

    def _anchor(self, anchor: str | None) -> str:
        """A sentence's time marker as an event key: "" for the article's main event."""
        if not self.events:
            return ""
        return "" if anchor is None or anchor == self.main_anchor else anchor

    def _register(self, index: int, anchor: str | None, target: Ref) -> None:
        if self.events and self.events[-1].sentence_index == index:
            return  # one event a sentence: the first phrase naming it ("an attack on lawyers killed 70 people")
        if not self.events:
            self.main_anchor = anchor
        self.events.append(_Event(index, self._anchor(anchor), target))

    def _event(self, index: int, doc: Any, noun: Any | None, anchor: str | None) -> tuple[Ref | None, str]:
        """The target and event key of the violent event a noun ("the attack", "that attack") points at."""
        if noun is not None:
            own = self._noun_target(index, doc, noun, "attack")
            if own is not None:
                return own, self._anchor(anchor)
            if noun.tag_ == "NNS" and not any(c.dep_ == "poss" or c.lower_ in ("the", "these", "those", "both")
                                               for c in noun.children):
                return None, ""  # "responsible for numerous suicide bombings": attacks in general, not this one
            if any(c.lower_ in ("that", "this") for c in noun.children) and self.events:
                return self.events[-1].target, self.events[-1].anchor
        if anchor is not None and self._anchor(anchor):
            same = [e for e in self.events if e.anchor == self._anchor(anchor)]
            if same:
                return same[-1].target, same[-1].anchor
        main = next((e for e in self.events if e.anchor == ""), None)
        return (main.target, "") if main else (None, "")

    # -- per sentence --------------------------------------------------------------------------------------

    def sentence(self, index: int, doc: Any) -> None:
        self.actors.resolve(index, doc)
        if _asks(doc):
            return  # "Will US help Ukraine in war vs. Russia?": a question reports no act
        has_anchor = anchor_of(doc.text) is not None
        for tok in doc:
            word, tag = tok.lower_, tok.tag_
            if word in LINK_WORDS and (tag.startswith("VB") or tag == "JJ"):
                handler = self._link
            elif tag.startswith("VB") and verb_action(word):
                handler = self._verb
            elif tag.startswith("NN") and word in NOUNS:
                handler = self._noun
            elif word == "responsible" or (word == "behind" and tok.dep_ == "prep"):
                handler = self._responsible
            else:
                continue
            try:
                handler(index, doc, tok, _clause_anchor(tok) if has_anchor else None)
            except RecursionError:  # a pathological parse must not stop ingest
                continue
        for found in constructions(doc):
            self._construction(index, doc, found, _clause_anchor(found.verb) if has_anchor else None)

    def _construction(self, index: int, doc: Any, found: Construction, anchor: str | None) -> None:
        """"Germany agreed to send tanks to Ukraine" (aid), "North Korea fired a missile over Japan" (attack)."""
        if found.target is None:
            return
        speaker = self._speaker(index, doc, found.verb)
        if found.received:  # "Musk received a warning from the EU": the EU threatened Musk
            giver = self._source(index, doc, found.target, speaker)
            receiver_tok = _subject(found.verb)
            receiver = self._ref(index, doc, receiver_tok, speaker) if receiver_tok is not None else None
            self._emit(index, found.verb, giver, receiver, found.action, self._anchor(anchor), speaker,
                       negated=_negated(found.verb))
            return
        if found.source is not None:  # "the Iran-backed group", "Russian-backed separatists"
            source = self._source(index, doc, found.source, speaker) or self._named(found.source)
            self._emit(index, found.verb, source, self._ref(index, doc, found.target, speaker), found.action,
                       self._anchor(anchor), speaker, standing=found.verb.tag_.startswith("NN"))
            return
        source_tok = _first(found.verb, ("poss",)) if found.verb.tag_.startswith("NN") else _subject(found.verb)
        source = self._source(index, doc, source_tok, speaker) if source_tok is not None else None
        if source is None and source_tok is not None and source_tok.dep_ in ("dobj", "pobj") \
                and source_tok.head.tag_.startswith("VB"):  # "approved plans to send": who approved
            source_tok = _subject(source_tok.head)
            source = self._source(index, doc, source_tok, speaker) if source_tok is not None else None
        if source_tok is not None and _no_one(source_tok):
            return
        target = self._ref(index, doc, found.target, speaker)
        if found.action == "attack" and target is not None:
            self._register(index, anchor, target)
        self._emit(index, found.verb, source, target, found.action, self._anchor(anchor), speaker,
                   negated=_negated(found.verb))

    def _verb(self, index: int, doc: Any, tok: Any, anchor: str | None) -> None:
        base, action = verb_action(tok.lower_) or ("", "")
        children = {c.dep_: c for c in tok.children}
        dobj = _first(tok, ("dobj",))
        if base in REPORT_VERBS_BASE and "ccomp" in children and base not in ("deny", "accuse", "blame") \
                and not (base == "warn" and dobj is not None):
            return  # "X claimed that ...", "warned that ...": a report, not a relation ("warned Y that": a threat)
        if base == "claim":
            self._claim(index, doc, tok, dobj, anchor)
            return
        if base == "call" and (dobj is not None or not _prep(tok, ("for", "on", "upon"))):
            return  # "called Putin a war criminal for ...": naming, not a demand ("called for", "called on")
        if base in ("ask", "order", "urge", "press") and not _first(tok, ("xcomp", "ccomp")) \
                and not _prep(tok, ("for",)):
            return  # "ordered troops into Ukraine" is no demand of the troops; "urged X to ..." is
        if base == "ask" and _asks_a_question(tok):
            return  # "asked Zelenska how she was doing": a question, not a demand
        if _alleged(tok):
            return  # "accusing members of their staff of treason and collaborating with Russia": the charge
        if base == "back" and "prt" in children:
            return
        if base == "warn" and dobj is not None and self._warns_of_another(index, doc, tok, dobj):
            return  # "warned his counterpart that a Russian invasion may be imminent": advice, not a threat
        if base == "warn" and dobj is not None and (_clause_subject(dobj) or dobj.lower_ in ("which", "that")):
            return  # "warned the Kremlin may attempt", "cyberattacks, which DHS warned could occur": what, not whom
        if base == "warn" and (_prep(tok, ("against",)) or _first(tok, ("xcomp",)) is not None):
            action = "demand"  # "warned Russia against further moves", "warned Eastman to back off": a demand
        if base == "welcome" and dobj is not None and dobj.lower_ in PEOPLE_NOUNS:
            return  # "welcoming US tourists back": people let in, neither a meeting nor praise
        if base == "welcome" and dobj is not None and dobj.tag_ in ("NNP", "NNPS"):
            action = "meet"  # "welcomes the UN Secretary-General": a visit received; "welcomed the decision" is praise
        if base == "host" and _names_an_event(dobj if dobj is not None else tok.head if tok.dep_ == "acl" else None):
            return  # "hosted the NATO summit", "Golden Globe Awards, hosted by Laverne Cox": an event, no one met
        if base == "meet" and dobj is not None and dobj.lower_ in _MET_THINGS:
            return  # "to meet Ukraine's critical security needs", "met the deadline": no one met
        if base == "strike" and children.get("prt") is not None and children["prt"].lower_ == "down":
            return  # "the court struck down the plan": a ruling, not an attack
        if base in ("agree", "sign", "cooperate", "collaborate") and not (_prep(tok, ("with",)) or dobj is not None):
            return
        if base == "agree" and dobj is None and not _first(tok, ("xcomp",)) and not _prep(tok, ("on", "to")):
            return  # "the appeals court agreed with him": of one opinion, no act done together
        if tok.dep_ == "amod" and tok.tag_ == "VBG":
            return  # "a supporting actress", "the attacking side": a description, not an act
        if base == "vow":
            inner = _first(tok, ("xcomp",))
            inner_action = verb_action(inner.lower_) if inner is not None else None
            if not inner_action or inner_action[1] != "attack":
                return
            dobj = _first(inner, ("dobj",))
        speaker = self._speaker(index, doc, tok)
        # "civilians killed by Russian forces": a participle modifying a noun is passive, the noun its object
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
            tok.tag_ == "VBN" and tok.dep_ == "acl")
        if passive:
            target_tok = _first(tok, ("nsubjpass",))
            agent = _first(tok, ("agent",))
            source_tok = _first(agent, ("pobj",)) if agent is not None else None
            if target_tok is not None and target_tok.dep_ == "nsubjpass" and tok.dep_ == "relcl":
                target_tok = tok.head
            elif target_tok is None and tok.dep_ in ("relcl", "acl"):
                target_tok = tok.head
        else:
            source_tok = _participle_subject(tok) or _subject(tok)
            target_tok = dobj
            if base in ("blame",) and dobj is not None and dobj.lower_ in EVENT_NOUNS:
                target_tok = _pobj(tok, ("on",))  # "blamed the attack on X": X is accused
            if target_tok is None or self._ref(index, doc, target_tok, speaker) is None:
                target_tok = _pobj(tok, _VERB_PREPS.get(base) or _TARGET_PREPS.get(action, ())) or target_tok
            if base in ("call", "demand") and target_tok is not None and target_tok.dep_ == "pobj" \
                    and target_tok.head.lower_ == "for":
                target_tok = _for_owner(target_tok)
        if source_tok is not None and _no_one(source_tok):
            return
        source = self._source(index, doc, source_tok, speaker) if source_tok is not None else None
        target = self._ref(index, doc, target_tok, speaker) if target_tok is not None else None
        if action == "threaten" and target is None and not passive:  # "threatened to strike the United States"
            inner = _first(tok, ("xcomp",))
            target = self._ref(index, doc, _first(inner, ("dobj",)), speaker) if inner is not None else None
        if base in ("call", "demand", "urge", "insist") and target is None:
            clause = _first(tok, ("ccomp", "xcomp"))  # "called for X to be kept away", "demanded that X resign"
            actor_tok = _first(clause, ("nsubj", "nsubjpass"))
            target = self._ref(index, doc, actor_tok, speaker) if actor_tok is not None else None
        if base in ("deny", "reject", "dismiss", "refute") and target is None and dobj is not None:
            if dobj.lower_ in _DENIED_ROLES:  # "denied involvement in the attack on X": about the attack on X
                target, _ = self._event(index, doc, _pobj(dobj, ("in", "for")), anchor)
            else:  # "rejected the accusations by Ukraine"
                owner = _pobj(dobj, ("by", "from", "of"))
                target = self._ref(index, doc, owner, speaker) if owner is not None else None
        if base == "deny" and target is None:
            target = self._accuser(index, doc, tok, source)
        if base == "visit" and target is not None and target_tok is not None \
                and not _visits_someone(target_tok, target):
            return  # "visited Taiwan", "visited Sequoia National Park": a trip to a place, no meeting with anyone
        if base == "attack" and source is not None and source.kind not in ("state", "armed_group") and not passive:
            action = "criticize"  # "Fleury attacked CNN", "a PAC will attack Rep. Ryan": words, not force
        if action == "attack" and target is not None:
            self._register(index, anchor, target)
        if base in ("accuse", "blame") and source is not None and target is not None:
            event = _pobj(tok, ("for", "of"))
            if event is not None and event.lower_ in EVENT_NOUNS:
                victim, key = self._event(index, doc, event, anchor)
                if victim is not None:
                    self._emit(index, tok, target, victim, "attack", key, (source, _text(source_tok)), remembered=True)
        self._emit(index, tok, source, target, action, self._anchor(anchor), speaker, negated=_negated(tok))

    def _warns_of_another(self, index: int, doc: Any, tok: Any, dobj: Any) -> bool:
        """Whether "X warned Y that ..." tells Y of a third party's act rather than threatening Y: the clause's
        subject names someone other than X and Y ("that it would pay a price" is a threat)."""
        clause = _first(tok, ("ccomp",))
        subject_tok = _first(clause, ("nsubj", "nsubjpass")) if clause is not None else None
        if subject_tok is None or subject_tok.tag_ in ("PRP", "PRP$"):
            return False
        third = self._ref(index, doc, subject_tok)
        if third is None:
            return False
        source_tok = _subject(tok)
        warner = self._source(index, doc, source_tok) if source_tok is not None else None
        warned = self._ref(index, doc, dobj)
        return third.actor not in {r.actor for r in (warner, warned) if r is not None}

    def _claim(self, index: int, doc: Any, tok: Any, dobj: Any | None, anchor: str | None) -> None:
        """"X claimed responsibility for the attack", "X claimed that attack", "took responsibility"."""
        if dobj is None:
            return
        if dobj.lower_ in ("responsibility", "credit"):
            event = _pobj(dobj, ("for",)) or _pobj(tok, ("for",))
        elif dobj.lower_ in EVENT_NOUNS:
            event = dobj
        else:
            return
        source_tok = _subject(tok)
        if source_tok is None or _no_one(source_tok):
            return
        speaker = self._speaker(index, doc, tok)
        source = self._source(index, doc, source_tok, speaker)
        target, key = self._event(index, doc, event, anchor)
        self._emit(index, tok, source, target, "claim_responsibility", key, speaker, negated=_negated(tok),
                   remembered=True)

    def _noun(self, index: int, doc: Any, tok: Any, anchor: str | None) -> None:
        action = NOUNS[tok.lower_]
        if tok.dep_ == "dobj" and tok.head.lower_ in _SEEKING_FORMS and ACTIONS[action].polarity > 0:
            return  # "ending its partnership with NASA", "sought a meeting with": none given or held ("ends its
            # war on Ukraine" still tells of the war)
        speaker = self._speaker(index, doc, tok)
        target = self._noun_target(index, doc, tok, action, speaker)
        if action == "attack" and target is not None:
            self._register(index, anchor, target)
        source_tok = None
        for child in tok.children:
            if child.dep_ == "poss" or (child.dep_ == "compound" and child.tag_.startswith("NNP")):
                source_tok = child
            elif child.dep_ == "prep" and child.lower_ == "by":
                source_tok = _first(child, ("pobj",))
        head = tok.head
        if source_tok is None and action in ("support", "aid") and _pobj(tok, ("from",)) is not None:
            self._given(index, doc, tok, target, speaker, anchor)
            return
        if source_tok is None and tok.dep_ == "dobj" and head.lower_ in _LIGHT_VERBS:
            source_tok = _subject(head)
        elif source_tok is None and tok.dep_ == "pobj" and head.lower_ in ("in", "with") and head.head.tag_ \
                .startswith("VB") and action == "attack" and not _passive(head.head):
            source_tok = _subject(head.head)  # "gunmen killed 61 people in an assault on": the gunmen
        if source_tok is None or _no_one(source_tok):
            return
        source = self._source(index, doc, source_tok, speaker)
        if tok.lower_ in _WAR_NOUNS and source is not None and source.kind not in ("state", "armed_group"):
            return  # "Amazon, Microsoft wage war over a contract": rivalry, not an attack
        self._emit(index, tok, source, target, action, self._anchor(anchor), speaker, negated=_negated(head))

    def _given(self, index: int, doc: Any, tok: Any, target: Ref | None, speaker: Any, anchor: str | None) -> None:
        """"relied on support from Iran and Russia": each giver after "from" supports the clause's subject (or
        the noun's own target, "support from Iran for the rebels")."""
        if target is None:
            verb = tok.head.head if tok.dep_ == "pobj" else tok.head if tok.dep_ == "dobj" else None
            if verb is None or verb.lower_ in _SEEKING:
                return  # "sought support from China", "won support from Democrats": not given, or no actor's
            receiver = _subject(verb) if verb is not None and verb.tag_.startswith("VB") else None
            if receiver is None or _no_one(receiver):
                return
            target = self._ref(index, doc, receiver, speaker)
        giver = _pobj(tok, ("from",))
        for each in [giver, *(c for c in giver.children if c.dep_ == "conj")] if giver is not None else []:
            self._emit(index, tok, self._source(index, doc, each, speaker), target, NOUNS[tok.lower_],
                       self._anchor(anchor), speaker, negated=_negated(tok.head))

    def _noun_target(self, index: int, doc: Any, tok: Any, action: str, speaker: Any = None) -> Ref | None:
        holders = [tok]
        if tok.dep_ == "dobj" and tok.head.lower_ in _LIGHT_VERBS:
            holders.append(tok.head)  # "provided assistance to Haiti": the phrase hangs on the verb
        for holder in holders:
            for prep in _NOUN_PREPS.get(tok.lower_) or _TARGET_PREPS.get(action, ()) or ("on", "against"):
                obj = _pobj(holder, (prep,))
                if obj is not None:
                    ref = self._ref(index, doc, obj, speaker)
                    if ref is not None:
                        return ref
        if action == "attack":
            place = _pobj(tok, ("in", "at", "near", "inside"))
            if place is not None:
                return self._ref(index, doc, place, speaker)
        return None

    def _link(self, index: int, doc: Any, tok: Any, anchor: str | None) -> None:
        """"The perpetrators were connected to X": X is linked to the article's attack (by whoever says so)."""
        subject = _subject(tok) or _first(tok, ("nsubjpass",))
        if subject is None or subject.lower_ not in PERPETRATOR_NOUNS:
            return
        group_tok = _pobj(tok, ("to", "with"))
        if group_tok is None:
            return
        speaker = self._speaker(index, doc, tok)
        group = self._source(index, doc, group_tok, speaker)
        target, key = self._event(index, doc, None, anchor)
        self._emit(index, tok, group, target, "attack", key, speaker, remembered=True)

    def _responsible(self, index: int, doc: Any, tok: Any, anchor: str | None) -> None:
        """"X was responsible for the bloodshed", "X was behind the attack", "held X responsible"."""
        if tok.lower_ == "behind":
            event = _first(tok, ("pobj",))
            head = tok.head
        else:
            event = _pobj(tok, ("for",))
            head = tok.head
        if event is None or event.lower_ not in EVENT_NOUNS:
            return
        speaker = self._speaker(index, doc, tok)
        if tok.dep_ == "oprd" or (tok.dep_ == "ccomp" and head.lower_ in ("hold", "held", "holds", "holding")):
            holder, accused_tok = _subject(head), _first(head, ("dobj",))
        else:
            holder, accused_tok = None, _subject(head) if head.i != tok.i else None
        if accused_tok is None or _no_one(accused_tok):
            return
        accused = self._source(index, doc, accused_tok, speaker)
        target, key = self._event(index, doc, event, anchor)
        if holder is not None:
            holder_ref = self._source(index, doc, holder, speaker)
            self._emit(index, tok, holder_ref, accused, "accuse", self._anchor(anchor), speaker)
            self._emit(index, tok, accused, target, "attack", key, (holder_ref, _text(holder)) if holder_ref else
                       speaker, remembered=True)
            return
        self._emit(index, tok, accused, target, "attack", key, speaker, negated=_negated(head), remembered=True)

    # -- speakers and arguments -------------------------------------------------------------------------------

    def _speaker(self, index: int, doc: Any, tok: Any) -> tuple[Ref | None, str | None] | None:
        """Who the sentence says says this (analyze.speakers.parsed_speaker), as an actor and as written."""
        said_by = parsed_speaker(doc, tok)
        if said_by is None:
            return None
        return self._source(index, doc, said_by), _text(said_by)

    def _ref(self, index: int, doc: Any, tok: Any | None, speaker: tuple[Ref | None, str | None] | None = None,
             role: str = "target") -> Ref | None:
        if tok is None:
            return None
        return self.actors.ref(index, doc, tok, speaker[0] if speaker else None, role)

    def _source(self, index: int, doc: Any, tok: Any | None, speaker: tuple[Ref | None, str | None] | None = None
                ) -> Ref | None:
        return self._ref(index, doc, tok, speaker, "source")

    def _named(self, tok: Any) -> Ref | None:
        """The actor a single word names by the actor table alone ("Russian" in "Russian-backed", which the
        mention rules leave out so that "Russian-backed separatists" are not Russia)."""
        info = self.actors.table.lookup(tok.text)
        return Ref(info.name, info.kind) if info is not None else None

    def _accuser(self, index: int, doc: Any, tok: Any, source: Ref | None) -> Ref | None:
        """Whom a denial answers: the main clause's subject ("X says ..., which the company denies"), else the
        actor who last accused the denier in this article."""
        root = tok
        while root.head.i != root.i:
            root = root.head
        subject = _subject(root)
        if subject is not None and root.i != tok.i:
            ref = self._ref(index, doc, subject)
            if ref is not None and (source is None or ref.actor != source.actor):
                return ref
        if source is not None:
            for rel in reversed(self.relations):
                if rel.target == source.actor and rel.action in ("accuse", "criticize", "condemn", "demand"):
                    return Ref(rel.source, "", rel.source_part)
        return None

    def _emit(self, index: int, tok: Any, source: Ref | None, target: Ref | None, action: str, anchor: str,
              speaker: tuple[Ref | None, str | None] | None, negated: bool = False, remembered: bool = False,
              standing: bool = False) -> None:
        """Record one relation unless it is no reported act or a side is only a guess.

        `remembered`: the target is an event's, resolved in the sentence that reported the event, so this
        sentence's other countries say nothing about it. `standing`: a tie a noun names ("OpenAI's investor
        Microsoft"), which the verb the phrase hangs on ("may include") neither conditions nor negates."""
        governors = [] if standing else _governors(tok)
        if not standing and any(_hypothetical(node) for node in (tok, *governors)):
            return  # "if China attacked Taiwan", "urged the US to ban", "whether Putin has decided to invade"
        if tok.tag_.startswith("NN") and any(c.dep_ == "amod" and c.lower_ in _HYPOTHETICAL_ADJECTIVES
                                             for c in tok.children):
            return  # "a potential invasion of Taiwan by China", "the imminent Russian invasion": not (yet) done
        negated = negated or (not standing and _refused(tok)) or any(_negated(node) for node in governors)
        if source is not None and target is not None and source.actor == target.actor and target.inferred \
                and ACTIONS[action].polarity < 0:
            other = self.actors.other_country(source.actor)  # "Russian forces shelled the town": not Russia's
            target = Ref(other, "state", target.part, inferred=True) if other else None
        if source is None or target is None or source.actor == target.actor:
            return
        if target.inferred and (ACTIONS[action].mode == "statement" or ACTIONS[action].contact):
            return  # "the president urged lawmakers", "meeting with voters": not a country addressed or met
        if (target.people and (ACTIONS[action].mode == "statement" or ACTIONS[action].contact)) or (
                (target.kind == "group" or _public_part(target.part)) and action in _PUBLIC_ACTIONS):
            return  # "urged Americans to", "warned people to", "calling on China's youth to rebel": the public
        if source.people and action != "attack":
            return  # "Most Americans support sending weapons": a poll of a people, not its state acting
        if source.inferred and target.inferred and not remembered:
            return  # "a police officer shoots protesters": whose police and whose protesters is a guess twice over
        if (source.inferred or (target.inferred and not remembered)) and self._third_state(index, source, target):
            return  # "Police arrested Yamagami, a former member of Japan's navy": the article's country is no guess
        kind = ACTIONS[action]
        sentence = self.actors.sentences[index]
        speaker_ref, speaker_text = speaker if speaker else (None, None)
        if speaker_ref is not None and speaker_ref.actor == source.actor:
            speaker_ref, speaker_text = None, None  # the source's own words
        if speaker_ref is None and speaker_text and speaker_text.lower() in ("i", "we", "he", "she", "they", "it"):
            speaker_text = None
        key = (index, source.actor, target.actor, action, anchor)
        if key in self._seen:
            return
        self._seen.add(key)
        start = sentence.start + tok.idx
        self.relations.append(Relation(
            self.actors.article.id, index, sentence.start, sentence.end, source.actor, target.actor, action,
            kind.polarity, kind.mode, source.part, target.part,
            speaker_ref.actor if speaker_ref else None, speaker_text if (speaker_ref or speaker_text) else None,
            negated, anchor or None, start, start + len(tok.text),
        ))
        # "Pakistani officials said X attacked Pakistan": besides X's attributed act, the side attacked accuses X
        # (a third party's report, "a US official said Ukrainian forces struck Russian lines", accuses no one).
        if speaker_ref is not None and kind.mode == "action" and kind.polarity < 0 and not negated \
                and speaker_ref.actor != source.actor and speaker_ref.actor == target.actor:
            part = speaker_ref.part or (speaker_text if speaker_text and speaker_text != speaker_ref.actor else None)
            self._emit(index, tok, Ref(speaker_ref.actor, speaker_ref.kind, part), source, "accuse", anchor, None)


    def _third_state(self, index: int, source: Ref, target: Ref) -> bool:
        """Whether the sentence names a country that is neither side: then a side guessed from the article's
        country may well be that one."""
        return any(m.kind == "state" and m.actor not in (source.actor, target.actor)
                   for m in self.actors.sentence_mentions(index))


REPORT_VERBS_BASE = word_set(EN["report_verbs_with_clause"])


def _all_forms(verbs: Iterable[str]) -> frozenset[str]:
    """Every regular inflection of each verb ("deny" -> deny, denies, denied, denying)."""
    return frozenset(form for verb in verbs for form in verb_forms(verb))


_HYPOTHETICAL = EN["hypothetical"]
_IF_MARKS = word_set(_HYPOTHETICAL["marks"])
_MODALS = word_set(_HYPOTHETICAL["modals"])
_REQUEST_FORMS = _all_forms(_HYPOTHETICAL["request_verbs"].split())
_HYPOTHETICAL_NOUNS = word_set(_HYPOTHETICAL["nouns"])
_HYPOTHETICAL_ADJECTIVES = word_set(_HYPOTHETICAL["adjectives"])
_PLAN_NOUNS = word_set(_HYPOTHETICAL["plan_nouns"])
_APPROVING = _all_forms(_HYPOTHETICAL["approving_verbs"].split())


def _hypothetical(tok: Any) -> bool:
    """Whether the trigger is no reported act: conditional, possible, asked for, or imagined.

    "if China attacked Taiwan", "would respond if ...", "could begin an offensive" (the modal on the
    light verb of a noun), "urged the US to ban Russian oil", "the thought of China invading Taiwan".
    """
    nodes = [tok]
    if not tok.tag_.startswith("VB") and tok.dep_ in ("dobj", "pobj") and tok.head.tag_.startswith("VB"):
        nodes.append(tok.head)
    for node in nodes:
        children = list(node.children)
        if any(c.dep_ == "mark" and c.lower_ in _IF_MARKS for c in children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children):
            return True
        if any(c.dep_ == "aux" and c.lower_ == "would" for c in children) and any(
                c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in _IF_MARKS for g in c.children)
                for c in children):
            return True
        head = node.head
        if _under_condition(node) or _denied_content(node):
            return True
        if node.dep_ in ("xcomp", "ccomp", "acl") and head.i != node.i and head.lower_ in _REQUEST_FORMS:
            return True
        if node.dep_ == "acl" and head.i != node.i and head.lower_ in _PLAN_NOUNS \
                and not (head.dep_ == "dobj" and head.head.lower_ in _APPROVING):
            return True  # "the EU's plan to ban Russian oil": planned, not done ("approved plans to send": decided)
        if node.dep_ == "pobj" and head.lower_ == "for" and head.head.lower_ in _REQUEST_FORMS:
            return True  # "asked for more sanctions against the Kremlin"
        if node.tag_ == "VBG" and node.dep_ in ("pcomp", "pobj") and head.lower_ in ("of", "about") \
                and head.head.lower_ in _HYPOTHETICAL_NOUNS:
            return True
    return False


def _names_an_event(tok: Any | None) -> bool:
    """Whether a phrase names an event ("the summit", "the Annual Meeting of the New Champions", "Golden Globe
    Awards"): its head or a word of its name is an event word."""
    if tok is None:
        return False
    words = {t.lower_ for t in tok.subtree if t.dep_ in ("compound", "amod") or t.i == tok.i}
    return not words.isdisjoint(_EVENT_WORDS)


def _public_part(part: str | None) -> bool:
    """Whether an actor's part names its people, not its state ("China's youth", "ASU students")."""
    words = (part or "").split()
    return bool(words) and words[-1].lower() in PEOPLE_NOUNS


def _participle_subject(tok: Any) -> Any | None:
    """Who does what a participle after a comma says: the subject of the clause right before it ("Hamas staged a
    surprise attack on Israel, killing 1,400 civilians": Hamas), wherever the parser hung the participle."""
    if tok.tag_ != "VBG" or tok.dep_ != "advcl" or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return None
    doc = tok.doc
    if tok.i == 0 or doc[tok.i - 1].text != ",":
        return None
    for verb in reversed(doc[max(0, tok.i - 25) : tok.i - 1]):
        if verb.tag_ in ("VBD", "VBZ", "VBP") or (verb.tag_ == "VBN" and verb.dep_ != "amod"):
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.tag_ not in ("WDT", "WP", "PRP"):
                return subject
            if subject is not None:
                return None
    return None


def _denied_content(node: Any) -> bool:
    """Whether a clause is what someone denies ("Russia denied attacking the convoy", "denies telling her the
    former President had assaulted an agent"): the denial is a relation of its own, the act no fact."""
    for _ in range(4):
        if node.dep_ not in ("ccomp", "xcomp", "conj", "pcomp") or node.head.i == node.i:
            return False
        node = node.head
        if node.lower_ in _DENYING:
            return True
    return False


def _under_condition(node: Any) -> bool:
    """Whether a clause is the content of a conditional one ("if Moscow perceives that a NATO response would
    threaten Russia"): a clause above it, through complement clauses, opens with "if" or "unless"."""
    for _ in range(3):
        if node.dep_ not in ("ccomp", "xcomp") or node.head.i == node.i:
            return False
        node = node.head
        if any(c.dep_ == "mark" and c.lower_ in _IF_MARKS for c in node.children):
            return True
    return False


_REFUSALS = word_set(_HYPOTHETICAL["refusals"])
_DENYING = _all_forms(_HYPOTHETICAL["denying_verbs"].split())
_SEEKING = word_set(_HYPOTHETICAL["seeking_verbs"])
_SEEKING_FORMS = _all_forms(_SEEKING)
_ALLEGING = _all_forms(_HYPOTHETICAL["alleging_verbs"].split())


def _refused(tok: Any) -> bool:
    """"refused to condemn", "Beijing's failure to condemn", "neither condemning ... nor": an act not done."""
    if any(c.lower_ in ("neither",) for c in tok.children):
        return True
    node = tok
    for _ in range(2):
        if node.dep_ not in ("xcomp", "acl", "pcomp", "advcl", "pobj") or node.head.i == node.i:
            return False
        if node.head.lower_ in _REFUSALS:
            return True
        node = node.head
    return False


_NESTED = frozenset({"relcl", "ccomp", "acl", "parataxis", "advcl", "csubj"})


def _clause_anchor(tok: Any) -> str | None:
    """The time marker of the clause a trigger belongs to ("In August, an attack ... killed"), not of a
    clause nested in it ("a group that has targeted ... over the years")."""
    head = tok
    for _ in range(4):
        if head.tag_.startswith("VB") or head.head.i == head.i:
            break
        head = head.head
    words: list[Any] = []
    stack = [head]
    while stack:
        node = stack.pop()
        words.append(node)
        stack.extend(c for c in node.children if c.dep_ not in _NESTED)
    words.sort(key=lambda t: t.i)
    found = anchor_of("".join(t.text_with_ws for t in words))
    if found is None and head.dep_ in ("advcl", "conj", "xcomp") and head.head.i != head.i \
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in head.children):
        return _clause_anchor(head.head)  # "In September 2015, fighters stormed a base, killing 29": same time
    return found


def _asks(doc: Any) -> bool:
    """Whether a sentence is itself a question (its main verb's auxiliary before the subject, or a question word
    first, and a question mark at the end), not a statement quoting one."""
    words = [t for t in doc if not t.is_punct]
    if not words or not doc.text.rstrip().rstrip("\"'”’").endswith("?"):
        return False
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return False
    subject = _first(root, ("nsubj", "nsubjpass", "expl"))
    inverted = any(c.dep_ in ("aux", "auxpass") or (c.i == root.i) for c in (*root.children, root)
                   if subject is not None and c.i < subject.i and c.tag_ in ("MD", "VBZ", "VBP", "VBD"))
    return inverted or words[0].tag_ in ("WRB", "WP", "WDT")


def _asks_a_question(tok: Any) -> bool:
    """Whether "asked X ..." asks a question ("how she was doing", "whether he would run"), not for an act."""
    clause = _first(tok, ("ccomp",))
    if clause is None:
        return False
    if clause.left_edge.tag_ in ("WRB", "WP", "WDT") or clause.left_edge.lower_ in ("whether", "if"):
        return True  # "asked Paula what she wanted to do": the question word opens the clause, however deep
    subject = _first(clause, ("nsubj",))
    return any((c.tag_ in ("WRB", "WP") and c.i < clause.i) or (c.dep_ == "mark" and c.lower_ in ("whether", "if"))
               or (c.dep_ == "aux" and subject is not None and c.i < subject.i)  # "asked Biden, 'Would you take'"
               for c in clause.children)


def _alleged(tok: Any) -> bool:
    """Whether a trigger is the act an accusation or charge is of ("charged him with attacking", "accusing X of
    treason and collaborating with Russia"): the act is alleged of someone else, not done by the verb's subject."""
    node = tok
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ == "conj" and node.tag_ == "VBG" and head.lower_ in _ALLEGING:
            return True
        if node.dep_ in ("pcomp", "pobj") and head.lower_ in ("of", "with", "for") \
                and head.head.lower_ in _ALLEGING:
            return True
        if node.dep_ not in ("pcomp", "pobj", "prep", "conj"):
            return False
        node = head
    return False


def _visits_someone(tok: Any, target: Ref) -> bool:
    """Whether what is visited is someone (a person, officials, troops, an organisation), not a place: a
    country or city by name, a facility ("a school", "the hospital") or a named place ("the Memory Wall")."""
    if tok.lower_ in _ADDRESSEES:
        return True
    if tok.lower_ in FACILITY_NOUNS or tok.lower_ in PLACE_HEADS:
        return False  # "visited the town hit hardest, Shangla": a place, whatever the name beside it is taken for
    if target.kind == "person":
        return True
    return not (target.kind == "state" or tok.ent_type_ in ("GPE", "LOC", "FAC"))


def _clause_subject(obj: Any) -> bool:
    """Whether a verb's object is really the subject of a clause the parser left unattached ("warned the
    Kremlin may attempt ...": a modal or finite verb follows), or a thing whose owner the reader would take
    for the one addressed ("warned Putin's openness to diplomacy was a guise")."""
    after = obj.right_edge.i + 1
    if after < len(obj.doc) and obj.doc[after].tag_ in ("MD", "VBZ", "VBD", "VBP"):
        return True
    return obj.tag_ in ("NN", "NNS") and obj.lower_ not in _ADDRESSEES and any(c.dep_ == "poss" for c in obj.children)


def _for_owner(tok: Any) -> Any:
    """"called for an inquiry and for Halvard's managers to be kept away": the first phrase naming someone."""
    for node in [tok, *[c for c in tok.head.head.children if c.dep_ == "conj"]]:
        obj = node if node.dep_ == "pobj" else _first(node, ("pobj",))
        if obj is not None and any(c.dep_ == "poss" for c in obj.children):
            return obj
    return tok


def _governors(tok: Any) -> list[Any]:
    """The verbs a trigger's act depends on: "won't send troops to fight Russia" (fight <- send), "has decided to
    invade" (invade <- decided); for a noun, from the verb that carries it. Their negation or condition is the act's."""
    node = tok.head if not tok.tag_.startswith("VB") and tok.dep_ in ("dobj", "pobj") else tok
    if node.dep_ == "prep":
        node = node.head
    found = [node] if node is not tok else []
    for _ in range(3):
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        if node.head.i == node.i or not (node.dep_ == "xcomp" or (node.dep_ == "advcl" and infinitive)):
            break
        node = node.head
        found.append(node)
    return found


def _passive(tok: Any) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def _negated(tok: Any) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _no_one(tok: Any) -> bool:
    """"No group has claimed ...": nobody did it."""
    return any(c.dep_ == "det" and c.lower_ in ("no", "neither") for c in tok.children) or tok.lower_ in (
        "none", "nobody", "no one")


def _text(tok: Any | None) -> str | None:
    """A phrase as written, without the clauses on it: "ads alleging he supports Labor" is said by "ads"."""
    if tok is None:
        return None
    clauses = [c for c in tok.children if c.dep_ in ("relcl", "acl", "ccomp", "advcl")]
    words = [t.text for t in tok.subtree if not any(c.left_edge.i <= t.i <= c.right_edge.i for c in clauses)]
    return " ".join(words[:10])


def _english(article: Article) -> bool:
    return parser_language(article.language) == "en"


def annotate(items: Sequence[AnalyzedArticle]) -> None:
    """Fill `mentions` and `relations` of analysed articles, parsing their candidate sentences in one batch
    per language: English here, French in analyze/relations_fr.py; other languages get neither (no parser
    ships for them: data/parsers.json)."""
    _annotate_english(items)
    _annotate_french(items)


def _annotate_english(items: Sequence[AnalyzedArticle]) -> None:
    table = load_actor_table()
    work = [(k, ArticleActors(item.article, item.sentences, table)) for k, item in enumerate(items)
            if _english(item.article) and item.sentences]
    wanted = [(k, actors, s.index) for k, actors in work for s in actors.sentences
              if is_candidate(s.text) and actors.worth_parsing(s.index)]
    docs: dict[tuple[int, int], Any] = {}
    if wanted:
        parsed = parse([actors.sentences[i].text for _, actors, i in wanted])
        recognise([doc for (_, actors, i), doc in zip(wanted, parsed, strict=True) if actors.needs_ner(i, doc)])
        for (_, actors, _), doc in zip(wanted, parsed, strict=True):
            actors.learn_places(doc)
        docs = {(k, i): doc for (k, _, i), doc in zip(wanted, parsed, strict=True)}
    for k, actors in work:
        try:
            relations = _ArticleRelations(actors)
            for sentence in actors.sentences:
                doc = docs.get((k, sentence.index))
                if doc is not None:
                    relations.sentence(sentence.index, doc)
                else:
                    actors.resolve(sentence.index)
            items[k].mentions = actors.finish()
            items[k].relations = relations.relations
        except Exception:  # a rule tripping over one odd text must not lose the article: it is stored without
            _log.warning("actors and relations skipped for %s", items[k].article.id, exc_info=True)
            items[k].mentions, items[k].relations = [], []


def _annotate_french(items: Sequence[AnalyzedArticle]) -> None:
    """French articles: mentions by the actor table, relations from fr_core_news_sm's parse of the sentences
    holding a French relation word."""
    table = load_actor_table()
    work = [(k, ArticleActors(item.article, item.sentences, table)) for k, item in enumerate(items)
            if parser_language(item.article.language) == "fr" and item.sentences]
    wanted = [(k, actors, s.index) for k, actors in work for s in actors.sentences if is_candidate_fr(s.text)]
    parsed = parse_in("fr", [actors.sentences[i].text for _, actors, i in wanted]) if wanted else []
    docs = {(k, i): doc for (k, _, i), doc in zip(wanted, parsed, strict=True)}
    for k, actors in work:
        try:
            relations = FrenchRelations(actors, table)
            for sentence in actors.sentences:
                doc = docs.get((k, sentence.index))
                if doc is not None:
                    relations.sentence(sentence.index, doc)
            items[k].mentions = actors.finish()
            items[k].relations = relations.relations
        except Exception:  # as for English: one odd text must not lose the article
            _log.warning("actors and relations skipped for %s", items[k].article.id, exc_info=True)
            items[k].mentions, items[k].relations = [], []
