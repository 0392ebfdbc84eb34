"""Learned sentence rankers, stored as small JSON files and scored with numpy: chosen by name (`ranker` setting).

A model file holds a logistic regression over answer/features.py's FEATURES: the features' means and
scales (standardisation), one weight per feature and an intercept. Its output is the probability that a
sentence names the answer to the question (fitted and calibrated on labelled weeks, eval/train_ranker.py),
so no training library is needed to answer a question. "hand" names the hand-set weights of answer/rank.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from newsdesk.answer.features import FEATURES

HAND = "hand"
DEFAULT_RANKER = "learned"
# Model files shipped in newsdesk/data as ranker-<name>.json.
_PACKAGED = "ranker-{name}.json"


@dataclass(frozen=True)
class RankerModel:
    name: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    intercept: float

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(the sentence names the answer) for each row of FEATURES."""
        z = ((rows - self.mean) / self.scale) @ self.weights + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)))


def model_from_json(data: dict[str, object], name: str) -> RankerModel:
    """A model from its JSON form; a file made for other features is refused, naming what differs."""
    features = tuple(str(f) for f in data.get("features", []))  # type: ignore[attr-defined]
    if features != FEATURES:
        missing = sorted(set(FEATURES) - set(features))
        extra = sorted(set(features) - set(FEATURES))
        raise ValueError(f"ranker {name!r}: its features do not match this version's "
                         f"(missing {missing}, unknown {extra}, or another order): rebuild it with "
                         "`python -m newsdesk.eval.train_ranker`")
    try:
        arrays = [np.asarray(data[key], dtype=np.float64) for key in ("mean", "scale", "weights")]
        intercept = float(data["intercept"])  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"ranker {name!r}: field {exc} is missing or not numeric") from None
    if any(a.shape != (len(FEATURES),) for a in arrays):
        raise ValueError(f"ranker {name!r}: mean, scale and weights must each hold {len(FEATURES)} numbers")
    mean, scale, weights = arrays
    return RankerModel(name, features, mean, np.where(scale > 0, scale, 1.0), weights, intercept)


@cache
def load_ranker(name: str) -> RankerModel | None:
    """The ranker called `name`: "hand" (None: the hand-set weights), a packaged model, or a path to a .json file."""
    if name == HAND:
        return None
    if name.endswith(".json"):
        path = Path(name)
        if not path.is_file():
            raise ValueError(f"ranker {name!r}: no such file")
        text = path.read_text(encoding="utf-8")
    else:
        resource = resources.files("newsdesk.data").joinpath(_PACKAGED.format(name=name))
        if not resource.is_file():
            raise ValueError(f"unknown ranker {name!r}: use {HAND!r}, a model in newsdesk/data "
                             f"({_PACKAGED.format(name='NAME')}) or a path to a .json model file")
        text = resource.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"ranker {name!r}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"ranker {name!r}: the file must hold one JSON object")
    return model_from_json(data, name)
