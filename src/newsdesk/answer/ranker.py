"""Learned sentence rankers, stored as small JSON files and scored with numpy: chosen by name (`ranker` setting).

A model file holds a logistic regression over answer/features.py's FEATURES: the features' means and
scales (standardisation), one weight per feature and an intercept; then the steps of an isotonic
calibration, fitted on scores of weeks the regression never saw, that turn its score into the probability
that the sentence answers the question (`confidence`); and the confidence below which an answer line is
shown as evidence, chosen on held-out weeks for each ranking order (eval/train_ranker.py). No training
library is needed to answer a question. "hand" names the hand-set weights of answer/rank.py.
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
    # Isotonic steps (score, probability): np.interp between them calibrates a score; none: the score as it is.
    calibration: tuple[np.ndarray, np.ndarray] | None = None
    # The confidence an answer line needs, by ranking order ("hand", "learned"): chosen on held-out weeks.
    thresholds: tuple[tuple[str, float], ...] = ()

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """The regression's score for each row of FEATURES (orders the candidates of the learned ranker)."""
        z = ((rows - self.mean) / self.scale) @ self.weights + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def confidence(self, scores: np.ndarray) -> np.ndarray:
        """Calibrated P(the sentence answers the question) for scores from `probabilities`."""
        if self.calibration is None:
            return scores
        return np.asarray(np.interp(scores, self.calibration[0], self.calibration[1]))

    def threshold(self, order: str) -> float:
        """The answer threshold chosen for briefs ranked in `order` (0: abstain never), see module docstring."""
        return dict(self.thresholds).get(order, 0.0)


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
    return RankerModel(name, features, mean, np.where(scale > 0, scale, 1.0), weights, intercept,
                       _calibration(data.get("calibration"), name), _thresholds(data.get("answer_confidence"), name))


def _calibration(value: object, name: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The isotonic steps of a model file: increasing scores, probabilities in [0, 1]; refused otherwise."""
    if value is None:
        return None
    try:
        scores = np.asarray(value["scores"], dtype=np.float64)  # type: ignore[index]
        probabilities = np.asarray(value["probabilities"], dtype=np.float64)  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"ranker {name!r}: field 'calibration' must hold lists 'scores' and 'probabilities'") from None
    if (scores.ndim != 1 or scores.shape != probabilities.shape or not len(scores)
            or (np.diff(scores) < 0).any() or (probabilities < 0).any() or (probabilities > 1).any()):
        raise ValueError(f"ranker {name!r}: field 'calibration' needs as many increasing scores as "
                         "probabilities, each between 0 and 1")
    return scores, probabilities


def _thresholds(value: object, name: str) -> tuple[tuple[str, float], ...]:
    """{order: threshold} of a model file (an older file's single number holds for every order)."""
    if value is None:
        return ()
    if isinstance(value, int | float):
        value = {"hand": value, "learned": value}
    if not isinstance(value, dict) or not all(isinstance(v, int | float) and 0 <= v <= 1 for v in value.values()):
        raise ValueError(f"ranker {name!r}: field 'answer_confidence' must map orders to numbers between 0 and 1")
    return tuple((str(k), float(v)) for k, v in sorted(value.items()))


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


def answer_threshold(setting: str, model: RankerModel | None, order: str) -> float:
    """The confidence an answer line needs: "model" (the threshold chosen with `model` for `order`) or a number."""
    if setting.strip().lower() == "model":
        return model.threshold(order) if model is not None else 0.0
    try:
        value = float(setting)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"setting 'answer_confidence' must be \"model\" or a number from 0 to 1, got {setting!r}")
    return value
