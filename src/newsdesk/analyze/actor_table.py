"""The table of known actors: every name of each, what kind of actor it is and what it belongs to.

Built from the bundled tables (data/aliases.tsv for names, data/countries.tsv for states with their
demonyms and capitals, data/actors.tsv for kinds and affiliations, data/actor_names.tsv for names that
stand for an actor: institutions, leaders in office, names in other languages) and the user's own files
(NEWSDESK_ALIASES: the aliases TSV format, where `kind=`, `part_of=` and `country=` cells may describe
the actor; NEWSDESK_ACTOR_NAMES: the actor_names.tsv format); the user's lines take precedence.
Finding these names in a text is a dictionary look-up per word, so it runs on every sentence at ingest without a model.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

# Words of a text: letters and digits; what separates them decides whether two words can be one name.
_WORD = re.compile(r"[^\W_]+")
_JOINERS = re.compile(r"[ \t\-‐–.'’]{1,3}|\.[ \t]|\. ")
# A name starting with a lower-case word ("al-Qaeda") may start a match in lower case.
_LOWER_STARTS = frozenset({"al", "ar", "as", "el", "ad"})
# Where a name can start: a capitalised word, a number, or a lower-case particle ("al-Qaeda").
_START = re.compile(r"(?<![^\W_])(?:[A-Z0-9\u00c0-\u00de][^\W_]*|(?:al|ar|as|el|ad)(?![^\W_]))")
MAX_NAME_WORDS = 9


@dataclass
class ActorInfo:
    """One actor: its canonical name, kind, the actor it is part of, its country, and all its names."""

    name: str
    kind: str = "organization"
    part_of: str | None = None
    country: str | None = None
    names: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NameHit:
    """A known name found in a text, with how it names its actor (name, alias, acronym, demonym, capital)."""

    start: int
    end: int
    actor: str
    how: str  # name, alias, acronym, demonym, capital, institution, territory, leader, translation


def letters_key(name: str) -> str:
    """The comparison key of a name: its letters and digits, case-folded ("Lashkar-e Jhangvi" = "Lashkar-e-Jhangvi")."""
    return "".join(_WORD.findall(name)).casefold()


def _is_acronym(name: str) -> bool:
    letters = "".join(_WORD.findall(name))
    return len(letters) <= 5 and letters.isupper()


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "sh", "ch", "ss", "s", "Swiss")) or " " in demonym:
        return None
    return demonym + "s"


class ActorTable:
    """Known actors by name; `scan` finds their names in a text."""

    def __init__(self) -> None:
        self.actors: dict[str, ActorInfo] = {}
        self._by_key: dict[str, str] = {}  # letters key -> canonical name
        self._names: dict[str, list[tuple[str, str, str]]] = {}  # key -> [(actor, how, case-sensitive letters)]
        self._firsts: set[str] = set()  # case-folded first words of all names: most words start none
        self._longest = 1
        self._offices: dict[tuple[str, str], tuple[str | None, str | None]] = {}  # (key, actor) -> from, until
        self.regions: dict[str, str] = {}  # "Michigan" -> "United States" (regions.tsv), read for titles only

    # -- building ---------------------------------------------------------------------------------

    def add(self, names: list[str], attributes: dict[str, str] | None = None, *, demonyms: Sequence[str] = (),
            capitals: Sequence[str] = ()) -> ActorInfo:
        """Add an actor, or merge into the known actor sharing a name (attributes already set are kept)."""
        attributes = attributes or {}
        names = [n for n in names if letters_key(n)]
        existing = next((self._by_key[letters_key(n)] for n in names if letters_key(n) in self._by_key), None)
        info = self.actors[existing] if existing else ActorInfo(names[0])
        if not existing:
            self.actors[info.name] = info
        for key in ("kind", "part_of", "country"):
            if key in attributes and (not existing or getattr(info, key) in (None, "organization")):
                setattr(info, key, attributes[key] or None)
        for name, how in [*((n, "name") for n in names), *((d, "demonym") for d in demonyms),
                          *((c, "capital") for c in capitals)]:
            self._index(info.name, name, how)
            if how == "demonym":
                info.demonyms.append(name)
                plural = _plural(name)
                if plural:
                    self._index(info.name, plural, how)
            elif how == "capital":
                info.capitals.append(name)
            elif name not in info.names:
                info.names.append(name)
        return info

    def add_standing(self, name: str, actor: str, how: str, since: str | None = None,
                     until: str | None = None) -> None:
        """A name that stands for `actor` ("Kremlin", a leader while in office, "Allemagne"); the first given wins."""
        info = self.get(actor) or self.add([actor])
        key = (letters_key(re.sub(r"^(?:the|The)\s+", "", name)), info.name)
        if how == "leader" and key not in self._offices:
            self._offices[key] = (since, until)
        self._index(info.name, name, how)

    def in_office(self, name: str, actor: str, when: str | None) -> bool:
        """Whether the leader `name` stood for `actor` on the ISO date `when` (an undated text: yes)."""
        since, until = self._offices.get((letters_key(name), actor), (None, None))
        day = (when or "")[:10]
        return not day or ((since is None or since <= day) and (until is None or day < until))

    def region_of(self, words: list[str]) -> str | None:
        """The country whose state or province the last words name ("Michigan", "New South Wales"), or None."""
        for size in (3, 2, 1):
            if len(words) >= size and (country := self.regions.get(" ".join(words[-size:]))):
                return country
        return None

    def led(self, name: str) -> str | None:
        """The state a person named in full led at some time ("Barack Obama": the United States), or None.

        Why any time: a titled name with no country before it ("President Barack Obama") is otherwise given the
        article's most-named country, which in a report about Russia makes a former US president Russian."""
        entries = self._names.get(letters_key(name), [])
        return next((actor for actor, how, _ in entries if how == "leader"), None)

    def lookup(self, name: str) -> ActorInfo | None:
        """The actor any name means, capitals, demonyms, institutions, leaders and translations included (a
        question's "Berlin", "the Kremlin", "Putin", "Allemagne"); its own names first."""
        name = re.sub(r"^(?:the|The)\s+", "", name.strip())
        known = self.get(name)
        if known:
            return known
        entries = self._names.get(letters_key(name))
        return self.actors.get(entries[0][0]) if entries else None

    def demonym(self, word: str) -> ActorInfo | None:
        """The actor a modifier names in any case ("russes", "ukrainienne", "les rebelles houthis"), else None:
        a demonym, or a name that is no acronym, so a lower-case "un" is not the UN."""
        for key in dict.fromkeys((letters_key(word), letters_key(word).removesuffix("s"))):
            for actor, how, exact in self._names.get(key, ()):
                if how == "demonym" or (how in ("name", "alias") and not exact):
                    return self.actors.get(actor)
        return None

    def _index(self, actor: str, name: str, how: str) -> None:
        name = re.sub(r"^(?:the|The)\s+", "", name)
        words = _WORD.findall(name)
        if not words:
            return
        self._firsts.add(words[0].casefold())
        self._longest = max(self._longest, len(words))
        key = letters_key(name)
        if how == "name":
            how = "acronym" if _is_acronym(name) and len(name) < len(actor) else ("name" if name == actor else "alias")
            self._by_key.setdefault(key, actor)
        entries = self._names.setdefault(key, [])
        exact = "".join(_WORD.findall(name)) if _is_acronym(name) else ""
        if not any(a == actor for a, _, _ in entries):
            entries.append((actor, how, exact))
        elif how in ("institution", "territory"):  # "Kremlin", also an alias of Russia, keeps it as the part
            entries[:] = [(a, how if a == actor else h, e) for a, h, e in entries]

    # -- reading ----------------------------------------------------------------------------------

    def get(self, name: str) -> ActorInfo | None:
        """The actor that `name` (any of its names) belongs to."""
        canonical = self._by_key.get(letters_key(name))
        return self.actors.get(canonical) if canonical else None

    def canonical(self, name: str) -> str:
        info = self.get(name)
        return info.name if info else name

    def family(self, name: str) -> set[str]:
        """The actor and every actor that is (transitively) part of it: the Islamic State and its Amaq agency."""
        root = self.canonical(name)
        found = {root}
        changed = True
        while changed:
            changed = False
            for info in self.actors.values():
                if info.part_of and self.canonical(info.part_of) in found and info.name not in found:
                    found.add(info.name)
                    changed = True
        return found

    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[NameHit]:
        """Every known name in text[start:end], longest first, left to right, never overlapping."""
        stop = len(text) if end is None else end
        hits: list[NameHit] = []
        pos = start
        while True:
            first = _START.search(text, pos, stop)
            if first is None:
                return hits
            pos = first.end()
            if first.group(0).casefold() not in self._firsts:
                continue
            hit = self._longest_at(text, first.start(), stop)
            if hit is not None:
                hits.append(hit)
                pos = hit.end

    def _longest_at(self, text: str, begin: int, stop: int) -> NameHit | None:
        """The longest known name starting at `begin` (words joined by spaces, hyphens, dots, apostrophes)."""
        words: list[tuple[int, int]] = []
        for m in _WORD.finditer(text, begin, stop):
            if words and not _JOINERS.fullmatch(text[words[-1][1] : m.start()]):
                break
            words.append(m.span())
            if len(words) >= min(MAX_NAME_WORDS, self._longest):
                break
        keys, key = [], ""
        for ws, we in words:
            key += text[ws:we]
            keys.append(key.casefold())
        for j in range(len(words) - 1, -1, -1):
            entries = self._names.get(keys[j])
            if not entries:
                continue
            letters = "".join(_WORD.findall(text[begin : words[j][1]]))
            for actor, how, exact in entries:
                if not exact or letters == exact:
                    return NameHit(begin, words[j][1], actor, how)
        return None


def _cells(line: str) -> tuple[list[str], dict[str, str]]:
    names, attributes = [], {}
    for cell in line.split("\t"):
        cell = cell.strip()
        if not cell:
            continue
        if "=" in cell:
            key, _, value = cell.partition("=")
            attributes[key.strip()] = value.strip()
        else:
            names.append(cell)
    return names, attributes


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def load_actor_table(user_file: str | None = None) -> ActorTable:
    """The bundled tables with the user's file (NEWSDESK_ALIASES or `user_file`) taking precedence."""
    data = resources.files("newsdesk") / "data"
    table = ActorTable()
    extra_path = user_file or os.environ.get("NEWSDESK_ALIASES")
    if extra_path:
        for line in _lines(Path(extra_path).read_text(encoding="utf-8")):
            names, attributes = _cells(line)
            if names:
                table.add(names, attributes)
    standing_path = os.environ.get("NEWSDESK_ACTOR_NAMES")
    for line in _lines((data / "countries.tsv").read_text(encoding="utf-8")):
        cells = line.split("\t") + ["", ""]
        split = lambda cell: [x.strip() for x in cell.split(",") if x.strip()]  # noqa: E731
        table.add([cells[0].strip()], {"kind": "state", "country": cells[0].strip()}, demonyms=split(cells[1]),
                  capitals=split(cells[2]))
    for line in _lines((data / "aliases.tsv").read_text(encoding="utf-8")):
        names, attributes = _cells(line)
        if names:
            table.add(names, attributes)
    for line in _lines((data / "actors.tsv").read_text(encoding="utf-8")):
        names, attributes = _cells(line)
        if names:
            table.add(names, attributes)
    standing = _lines(Path(standing_path).read_text(encoding="utf-8")) if standing_path else []
    for number, line in enumerate([*standing, *_lines((data / "actor_names.tsv").read_text(encoding="utf-8"))], 1):
        names, attributes = _cells(line)
        if len(names) != 3 or names[2] not in STANDING_KINDS:
            where = standing_path if number <= len(standing) else "actor_names.tsv"
            raise ValueError(f"{where}: line {line!r}: expected name, actor and one of "
                             f"{', '.join(STANDING_KINDS)}, tab-separated")
        table.add_standing(names[0], names[1], names[2], attributes.get("from"), attributes.get("until"))
    for line in _lines((data / "regions.tsv").read_text(encoding="utf-8")):
        region, _, country = line.partition("\t")
        table.regions[region.strip()] = table.canonical(country.strip())
    return table


# capital and demonym: another language's name of a state's capital ("Moscou") or its demonym ("russe",
# "ukrainienne"), which that language's relations read as the state (analyze/relations_fr.py).
STANDING_KINDS = ("institution", "territory", "leader", "translation", "capital", "demonym")
