"""Fit the learned answer ranker (answer/ranker.py) from RealTime QA weeks, and judge it only on weeks it never saw.

    NEWSDESK_ANALYSIS= newsdesk eval realtimeqa DIR --db INDEX --limit 1   # the index, without analysis steps
    python -m newsdesk.eval.train_ranker features DIR --db INDEX --out FOLDER/   # one .npz per week, the slow part
    python -m newsdesk.eval.train_ranker fit FOLDER/*.npz --test DEV/*.npz --model src/newsdesk/data/ranker-learned.json

`features`: every question of the weeks in DIR is asked of an index of those weeks as of its date (as the
eval does); each candidate sentence the reranker sees becomes a row of answer/features.py FEATURES with a
label: 1 when the sentence names the correct choice (eval/realtimeqa.py `contains_choice`, so "four" counts
for "4") and shares at least one content word with the question besides the choice's own words (a sentence
naming "Buffalo Bills" about another match is no answer), else 0. The key is read only for labels. Each
question is also made unanswerable: searched again as if every article naming its correct choice were not in
the collection (the next articles of the fused ranking take their places), its candidates recorded apart.

`fit`: grouped K-fold by week (every question of a week in the same fold): each fold's model is fitted on
the other weeks and scores its own; the isotonic calibration that turns scores into `confidence` is fitted
on the other folds' out-of-fold scores; the answer threshold of each ranking order (hand-set, learned) is the
highest confidence costing at most MAX_COST of the answers on the other folds' questions. Only figures on the
held-out folds are reported (ranking, reliability table, "not found" on the unanswerable searches and the
cost on answerable questions), then those of the final model on `--test` weeks never fitted on. The model
written (means, scales, weights, intercept, calibration steps, thresholds) is scored with numpy alone.
Needs scikit-learn (the learner; `pip install .[train]`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

FOLDS = 5
# Articles whose passages hybrid_search returns (its default): the unanswerable search keeps as many.
SEARCHED_ARTICLES = 12
# The answers an abstention threshold may cost (the target): "not found" is bought with at most this.
MAX_COST = 0.02
# L2 strength (scikit-learn's C): mild, the features being few and standardised.
REGULARISATION = 1.0


def label(text: str, correct: str, question_stems: frozenset[str]) -> bool:
    """A sentence answers when it names the correct choice and is about the question (a shared content word)."""
    from newsdesk.analyze.terms import content_terms, stem
    from newsdesk.eval.realtimeqa import contains_choice

    if not contains_choice(text, correct):
        return False
    own = {stem(w) for w in content_terms(correct)}
    return bool((question_stems - own) & {stem(w) for w in content_terms(text)})


def without_articles(hits: Sequence[Any], dropped: set[str], articles: int = SEARCHED_ARTICLES) -> list[Any]:
    """The hits of the first `articles` articles not in `dropped`, in their order: a search of a collection
    from which those articles were removed (the fused ranks of the others keep their order)."""
    kept: list[str] = []
    out = []
    for hit in hits:
        aid = hit.passage.article_id
        if aid in dropped:
            continue
        if aid not in kept:
            if len(kept) == articles:
                continue
            kept.append(aid)
        out.append(hit)
    return out


def extract_features(directory: Path, db: str, weeks: Sequence[str] | None = None,
                     config_overrides: dict[str, Any] | None = None) -> dict[str, np.ndarray]:
    """Feature rows, labels and groups (question, week) for every candidate of every question of the weeks."""
    from newsdesk.analyze.question import analyze_question
    from newsdesk.analyze.terms import content_terms, stem
    from newsdesk.answer.features import FEATURES
    from newsdesk.answer.rank import collect_sentences, rank_sentences
    from newsdesk.config import load_config
    from newsdesk.desk import Desk
    from newsdesk.eval.realtimeqa import contains_choice, load_questions, weeks_in
    from newsdesk.model import Filters
    from newsdesk.search import hybrid_search

    weeks = list(weeks or weeks_in(directory))
    # Features need no model: none is loaded (a model file made for other features would be refused).
    settings = {"ranker": "hand", "confidence_model": "", **(config_overrides or {})}
    desk = Desk(db, load_config(db=db, **settings), readonly=True)
    rows: list[np.ndarray] = []
    labels: list[int] = []
    question_of: list[int] = []
    qids: list[str] = []
    week_of: list[str] = []
    named: list[bool] = []
    answer_article: list[bool] = []  # the candidate's article names the correct choice somewhere
    unanswerable: list[bool] = []  # the candidate comes from the search without the articles naming the answer
    try:
        for number, q in enumerate(load_questions(directory, weeks)):
            question = analyze_question(q.text)
            vector = desk.embedder.embed_queries([question.text])[0]
            filters = Filters(until=q.date)
            correct = q.choices[q.answer_index]
            asked = frozenset(stem(w) for w in content_terms(q.text))
            qids.append(q.question_id)
            week_of.append(q.week)
            named.append(q.corpus_names_answer)
            recent = q.date if question.about_now else None
            hits = hybrid_search(question, desk.store, desk.embedder, filters=filters, limit=desk.config.candidates,
                                 query_vector=vector, recent_before=recent)
            # The same question made unanswerable: searched again as if no article naming the answer existed.
            wider = hybrid_search(question, desk.store, desk.embedder, filters=filters,
                                  limit=3 * desk.config.candidates, query_vector=vector, recent_before=recent,
                                  articles=3 * SEARCHED_ARTICLES)
            found = desk.store.articles(list({h.passage.article_id for h in [*hits, *wider]}))
            naming = {aid for aid, a in found.items() if contains_choice(a.text, correct)}
            unanswerable_hits = without_articles(wider, naming)[: desk.config.candidates]
            for dropped, found_hits in ((False, hits), (True, unanswerable_hits)):
                pool = collect_sentences(found_hits, desk.store)
                articles = desk.store.articles([s.article_id for s, _ in pool])
                ranked = rank_sentences(question, pool, desk.embedder, vector, articles, q.date, with_features=True)
                for cand in ranked:
                    if cand.features is None:
                        continue
                    rows.append(cand.features)
                    labels.append(int(label(cand.sentence.text, correct, asked)))
                    question_of.append(number)
                    answer_article.append(cand.sentence.article_id in naming)
                    unanswerable.append(dropped)
            if number % 50 == 0:
                print(f"{number} questions, {len(rows)} candidates, {sum(labels)} positive", file=sys.stderr)
    finally:
        desk.close()
    return {
        "features": np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES)),
        "labels": np.asarray(labels, dtype=np.int8),
        "question": np.asarray(question_of, dtype=np.int32),
        "question_ids": np.asarray(qids),
        "question_weeks": np.asarray(week_of),
        "question_named": np.asarray(named, dtype=bool),
        "answer_article": np.asarray(answer_article, dtype=bool),
        "unanswerable": np.asarray(unanswerable, dtype=bool),
        "names": np.asarray(FEATURES),
    }


def load_sets(paths: Sequence[Path]) -> dict[str, np.ndarray]:
    """Several feature files as one (question numbers renumbered), refusing files made for other features."""
    parts = [dict(np.load(p, allow_pickle=False)) for p in paths]
    names = [tuple(str(n) for n in part["names"]) for part in parts]
    if len(set(names)) > 1:
        raise ValueError(f"{', '.join(map(str, paths))}: made with different feature lists; re-extract them")
    for path, part in zip(paths, parts, strict=True):
        if "unanswerable" not in part:
            raise ValueError(f"{path}: made before the unanswerable searches were recorded; re-extract it")
    offset = 0
    merged: dict[str, list[np.ndarray]] = {}
    for part in parts:
        part["question"] = part["question"] + offset
        offset += len(part["question_ids"])
        for key, value in part.items():
            merged.setdefault(key, []).append(value)
    out = {k: np.concatenate(v) for k, v in merged.items() if k != "names"}
    out["names"] = parts[0]["names"]
    return out


def _fit(x: np.ndarray, y: np.ndarray, learner: str = "logistic") -> Any:
    if learner == "lightgbm":
        import lightgbm

        model = lightgbm.LGBMClassifier(n_estimators=200, learning_rate=0.05, num_leaves=15, min_child_samples=40,
                                        subsample=0.8, subsample_freq=1, colsample_bytree=0.8, random_state=0,
                                        verbose=-1)
        return model.fit(x, y)
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=REGULARISATION, max_iter=2000)).fit(x, y)


ORDERS = ("hand", "learned")  # the brief's order: hand-set scores, or the learned model's probability


def question_rows(data: dict[str, np.ndarray], unanswerable: bool) -> dict[int, np.ndarray]:
    """Row numbers of each question's candidates, as asked or from the search without the answer's articles."""
    rows = np.flatnonzero(data["unanswerable"] == unanswerable)
    order = rows[np.argsort(data["question"][rows], kind="stable")]
    questions, starts = np.unique(data["question"][order], return_index=True)
    return {int(q): part for q, part in zip(questions, np.split(order, starts[1:]), strict=True)}


def _top(rows: np.ndarray, order: np.ndarray, k: int = 3) -> np.ndarray:
    """The k best rows by `order`, ties by row number (deterministic, as the brief breaks them by position)."""
    return rows[np.lexsort((rows, -order[rows]))][:k]


def ranking_figures(data: dict[str, np.ndarray], scores: np.ndarray,
                    questions: set[int] | None = None) -> dict[str, float]:
    """On the questions (as asked) that have a positive candidate: a positive first, a positive in the top 3."""
    first = top3 = asked = 0
    for q, rows in question_rows(data, False).items():
        if (questions is not None and q not in questions) or not data["labels"][rows].any():
            continue
        asked += 1
        best = _top(rows, scores)
        first += int(data["labels"][best[0]])
        top3 += int(data["labels"][best].any())
    n = asked or 1
    return {"questions_with_a_positive": asked, "positive_first": round(first / n, 4),
            "positive_in_top3": round(top3 / n, 4)}


def abstention_counts(data: dict[str, np.ndarray], order: np.ndarray, confidence: np.ndarray, threshold: float,
                      questions: set[int] | None = None) -> dict[str, int]:
    """What an answer threshold does to the top 3 lines (by `order`) of each question.

    Answerable: questions as asked with a positive candidate; the answer names the choice when a positive
    among the top 3 keeps `confidence` >= `threshold`. Unanswerable: every question searched again without
    the articles naming its answer; "not found" when no line of its top 3 reaches the threshold.
    """
    counts = {"answerable": 0, "choice_in_top3": 0, "choice_in_answer": 0, "unanswerable": 0, "not_found": 0}
    for q, rows in question_rows(data, False).items():
        if (questions is not None and q not in questions) or not data["labels"][rows].any():
            continue
        best = _top(rows, order)
        positive = data["labels"][best].astype(bool)
        counts["answerable"] += 1
        counts["choice_in_top3"] += int(positive.any())
        counts["choice_in_answer"] += int((positive & (confidence[best] >= threshold)).any())
    for q, rows in question_rows(data, True).items():
        if questions is not None and q not in questions:
            continue
        counts["unanswerable"] += 1
        counts["not_found"] += int(not (confidence[_top(rows, order)] >= threshold).any())
    return counts


def abstention_figures(counts: dict[str, int], threshold: float | None = None) -> dict[str, Any]:
    n, m = counts["answerable"] or 1, counts["unanswerable"] or 1
    out: dict[str, Any] = {} if threshold is None else {"threshold": round(threshold, 4)}
    out.update(answerable=counts["answerable"], choice_in_top3=round(counts["choice_in_top3"] / n, 4),
               choice_in_answer=round(counts["choice_in_answer"] / n, 4),
               cost=round((counts["choice_in_top3"] - counts["choice_in_answer"]) / n, 4),
               unanswerable=counts["unanswerable"], not_found_when_unanswerable=round(counts["not_found"] / m, 4))
    return out


def choose_threshold(data: dict[str, np.ndarray], order: np.ndarray, confidence: np.ndarray,
                     questions: set[int] | None = None, max_cost: float = MAX_COST) -> float:
    """The highest confidence threshold (most "not found" when unanswerable) costing at most `max_cost` answers."""
    best = 0.0
    for threshold in np.unique(np.round(confidence, 4)):
        counts = abstention_counts(data, order, confidence, float(threshold), questions)
        if (counts["choice_in_top3"] - counts["choice_in_answer"]) / (counts["answerable"] or 1) > max_cost:
            break  # the cost only grows with the threshold
        best = float(threshold)
    return best


def fit_calibration(raw: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic regression of the labels on the model's scores: the (score, probability) steps to interpolate."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, y)
    return np.asarray(iso.X_thresholds_, dtype=np.float64), np.asarray(iso.y_thresholds_, dtype=np.float64)


def calibrated(raw: np.ndarray, steps: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    return np.interp(raw, steps[0], steps[1])


def calibration(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict[str, Any]:
    """Brier score, expected calibration error and the reliability table (by probability bins) of held-out p."""
    edges = np.linspace(0, 1, bins + 1)
    index = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    table = [{"bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}", "lines": int((index == b).sum()),
              "mean_confidence": round(float(p[index == b].mean()), 4),
              "share_answering": round(float(y[index == b].mean()), 4)}
             for b in range(bins) if (index == b).any()]
    ece = sum(abs(p[index == b].mean() - y[index == b].mean()) * (index == b).mean()
              for b in range(bins) if (index == b).any())
    return {"brier": round(float(np.mean((p - y) ** 2)), 4), "ece": round(float(ece), 4), "reliability": table}


def shown_lines(data: dict[str, np.ndarray], order: np.ndarray) -> np.ndarray:
    """The rows a brief would show as answer lines: the top 3 of every question as asked."""
    rows = [_top(r, order) for r in question_rows(data, False).values()]
    return np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)


def _folds(data: dict[str, np.ndarray], folds: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Fold of each candidate and of each question: whole weeks, so a week is never on both sides."""
    weeks = sorted(set(data["question_weeks"].tolist()))
    if len(weeks) < 2:
        raise ValueError("cross-validation by week needs the features of at least two weeks")
    folds = min(folds, len(weeks))
    fold_of_week = {w: i % folds for i, w in enumerate(weeks)}
    question_fold = np.array([fold_of_week[w] for w in data["question_weeks"]])
    return question_fold[data["question"]], question_fold, folds


def cross_validate(data: dict[str, np.ndarray], learner: str = "logistic", folds: int = FOLDS,
                   train_unanswerable: bool = False) -> dict[str, Any]:
    """Grouped K-fold by week: every figure comes from models, calibrations and thresholds that never saw its week.

    The model of fold k is fitted on the other folds' candidates (as asked, and with `train_unanswerable`
    the unanswerable searches' too); its calibration on the other folds' out-of-fold scores; the answer
    threshold of each order on the other folds' calibrated confidences. Returns the figures and, under
    "scores", every candidate's out-of-fold score (for the final calibration).
    """
    fold, question_fold, folds = _folds(data, folds)
    trainable = np.ones(len(fold), dtype=bool) if train_unanswerable else ~data["unanswerable"]
    raw = np.zeros(len(fold))
    for k in range(folds):
        test = fold == k
        model = _fit(data["features"][~test & trainable], data["labels"][~test & trainable], learner)
        raw[test] = model.predict_proba(data["features"][test])[:, 1]
    y = data["labels"].astype(float)
    confidence = np.zeros(len(fold))
    for k in range(folds):
        test = fold == k
        confidence[test] = calibrated(raw[test], fit_calibration(raw[~test & trainable], y[~test & trainable]))
    orders = {"hand": data["features"][:, list(data["names"]).index("hand")], "learned": raw}
    abstention: dict[str, Any] = {}
    for name, order in orders.items():
        totals: dict[str, int] = {}
        thresholds = []
        for k in range(folds):
            train_q = set(np.flatnonzero(question_fold != k).tolist())
            test_q = set(np.flatnonzero(question_fold == k).tolist())
            threshold = choose_threshold(data, order, confidence, train_q)
            thresholds.append(threshold)
            for key, value in abstention_counts(data, order, confidence, threshold, test_q).items():
                totals[key] = totals.get(key, 0) + value
        abstention[name] = {**abstention_figures(totals), "fold_thresholds": thresholds}
    shown = {name: shown_lines(data, order) for name, order in orders.items()}
    asked = ~data["unanswerable"]
    return {
        "learner": learner, "folds": folds, "weeks": len(set(data["question_weeks"].tolist())),
        "candidates": len(fold), "train_unanswerable": train_unanswerable,
        "ranking_held_out": {"learned": ranking_figures(data, raw), "hand": ranking_figures(data, orders["hand"])},
        "calibration_held_out": {
            "raw_all_candidates_as_asked": {k: v for k, v in calibration(y[asked], raw[asked]).items()
                                            if k != "reliability"},
            "all_candidates_as_asked": calibration(y[asked], confidence[asked]),
            **{f"answer_lines_{name}_order": calibration(y[rows], confidence[rows]) for name, rows in shown.items()},
        },
        "abstention_held_out": abstention,
        "scores": raw,
        "trainable": trainable,
    }


def model_json(data: dict[str, np.ndarray], trainable: np.ndarray, steps: tuple[np.ndarray, np.ndarray],
               thresholds: dict[str, float], trained_on: dict[str, Any]) -> dict[str, Any]:
    """The logistic regression fitted on all of `data`, its calibration and thresholds, as answer/ranker.py reads."""
    pipeline = _fit(data["features"][trainable], data["labels"][trainable], "logistic")
    scaler, regression = pipeline.steps[0][1], pipeline.steps[1][1]
    return {
        "about": "Learned answer ranker: logistic regression over answer/features.py FEATURES, its isotonic "
                 "calibration (fitted on out-of-fold scores, by week) and the answer thresholds chosen on "
                 "held-out weeks; rebuild with `python -m newsdesk.eval.train_ranker` (see its docstring).",
        "features": [str(n) for n in data["names"]],
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "weights": [round(float(v), 6) for v in regression.coef_[0]],
        "intercept": round(float(regression.intercept_[0]), 6),
        "calibration": {"scores": [round(float(v), 6) for v in steps[0]],
                        "probabilities": [round(float(v), 6) for v in steps[1]]},
        "answer_confidence": thresholds,
        "trained_on": trained_on,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m newsdesk.eval.train_ranker", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("features", help="Ask every question of DIR's weeks; write candidate features.")
    extract.add_argument("directory", type=Path)
    extract.add_argument("--db", required=True, help="An index of DIR's weeks (eval realtimeqa --db ... builds one).")
    extract.add_argument("--weeks", help="Comma-separated weeks; default all.")
    extract.add_argument("--out", type=Path, required=True, help="A .npz file, or a folder for one file per week.")
    fit = commands.add_parser("fit", help="Cross-validate by week, then fit on all and write the model.")
    fit.add_argument("features", type=Path, nargs="+")
    fit.add_argument("--learner", choices=["logistic", "lightgbm"], default="logistic",
                     help="Measure a learner (held-out figures); only logistic is written as a model.")
    fit.add_argument("--model", type=Path, help="Write the model fitted on all the weeks here.")
    fit.add_argument("--train-unanswerable", action="store_true",
                     help="Also fit on the candidates of the searches without the answer's articles (all negative).")
    fit.add_argument("--test", type=Path, nargs="*", default=[],
                     help="Feature files of weeks never fitted on (e.g. realtimeqa-dev): figures of the final model.")
    args = parser.parse_args(argv)
    if args.command == "features":
        from newsdesk.eval.realtimeqa import weeks_in

        weeks = [w for w in args.weeks.split(",") if w] if args.weeks else weeks_in(args.directory)
        # One file per week (OUT/WEEK.npz) when OUT is a folder: a long run keeps what it finished.
        batches = [[w] for w in weeks] if args.out.is_dir() else [weeks]
        for batch in batches:
            target = args.out / f"{batch[0]}.npz" if args.out.is_dir() else args.out
            data = extract_features(args.directory, args.db, batch)
            np.savez_compressed(target, allow_pickle=False, **data)
            print(json.dumps({"file": str(target), "candidates": len(data["labels"]),
                              "positive": int(data["labels"].sum()), "questions": len(data["question_ids"])}))
        return
    data = load_sets(args.features)
    report = cross_validate(data, args.learner, train_unanswerable=args.train_unanswerable)
    held_out, trainable = report.pop("scores"), report.pop("trainable")
    # The final calibration and thresholds: fitted on the out-of-fold scores of all the training weeks.
    steps = fit_calibration(held_out[trainable], data["labels"][trainable].astype(float))
    confidence = calibrated(held_out, steps)
    orders = {"hand": data["features"][:, list(data["names"]).index("hand")], "learned": held_out}
    thresholds = {name: choose_threshold(data, order, confidence) for name, order in orders.items()}
    report["answer_confidence"] = thresholds
    if args.test:
        test = load_sets(args.test)
        final = _fit(data["features"][trainable], data["labels"][trainable], args.learner)
        scores = final.predict_proba(test["features"])[:, 1]
        sure = calibrated(scores, steps)
        test_orders = {"hand": test["features"][:, list(test["names"]).index("hand")], "learned": scores}
        asked = ~test["unanswerable"]
        y = test["labels"].astype(float)
        report["test"] = {
            "files": [p.name for p in args.test],
            "ranking": {name: ranking_figures(test, order) for name, order in test_orders.items()},
            "calibration": {"all_candidates_as_asked": calibration(y[asked], sure[asked]),
                            **{f"answer_lines_{name}_order": calibration(y[rows], sure[rows])
                               for name, order in test_orders.items() if len(rows := shown_lines(test, order))}},
            "abstention": {name: abstention_figures(abstention_counts(test, order, sure, thresholds[name]),
                                                    thresholds[name]) for name, order in test_orders.items()},
        }
    print(json.dumps(report, indent=1))
    if args.model:
        weeks = sorted(set(data["question_weeks"].tolist()))
        trained = {"files": [p.name for p in args.features], "weeks": f"{weeks[0]}..{weeks[-1]} ({len(weeks)})",
                   "candidates": int(trainable.sum()), "positive": int(data["labels"][trainable].sum()),
                   "train_unanswerable": args.train_unanswerable}
        document = model_json(data, trainable, steps, thresholds, trained)
        args.model.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")

if __name__ == "__main__":
    main()
