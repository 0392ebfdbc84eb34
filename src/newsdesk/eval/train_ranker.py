"""Fit the learned answer ranker (answer/ranker.py) from RealTime QA weeks, and judge it only on weeks it never saw.

    NEWSDESK_ANALYSIS= newsdesk eval realtimeqa DIR --db INDEX --limit 1   # the index, without analysis steps
    python -m newsdesk.eval.train_ranker features DIR --db INDEX --out FOLDER/   # one .npz per week, the slow part
    python -m newsdesk.eval.train_ranker fit FOLDER/*.npz --test DEV/*.npz --model src/newsdesk/data/ranker-learned.json

`features`: every question of the weeks in DIR is asked of an index of those weeks as of its date (as the
eval does); each candidate sentence the reranker sees becomes a row of answer/features.py FEATURES with a
label: 1 when the sentence names the correct choice (eval/realtimeqa.py `contains_choice`, so "four" counts
for "4") and shares at least one content word with the question besides the choice's own words (a sentence
naming "Buffalo Bills" about another match is no answer), else 0. The key is read only for labels.

`fit`: grouped K-fold by week (every question of a week in the same fold): each fold's model is fitted on
the other weeks and measured on its own, and only those held-out figures are reported, beside the hand-set
ranker's on the same candidates. Then one model is fitted on all weeks given and written as JSON (means,
scales, weights, intercept), scored at question time with numpy alone. Needs scikit-learn (the learner).
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
    desk = Desk(db, load_config(db=db, **(config_overrides or {})), readonly=True)
    rows: list[np.ndarray] = []
    labels: list[int] = []
    question_of: list[int] = []
    qids: list[str] = []
    week_of: list[str] = []
    named: list[bool] = []
    answer_article: list[bool] = []  # the candidate's article names the correct choice somewhere
    try:
        for number, q in enumerate(load_questions(directory, weeks)):
            question = analyze_question(q.text)
            vector = desk.embedder.embed_queries([question.text])[0]
            filters = Filters(until=q.date)
            hits = hybrid_search(question, desk.store, desk.embedder, filters=filters, limit=desk.config.candidates,
                                 query_vector=vector, recent_before=q.date if question.about_now else None)
            pool = collect_sentences(hits, desk.store)
            articles = desk.store.articles([s.article_id for s, _ in pool])
            ranked = rank_sentences(question, pool, desk.embedder, vector, articles, q.date, with_features=True)
            correct = q.choices[q.answer_index]
            asked = frozenset(stem(w) for w in content_terms(q.text))
            qids.append(q.question_id)
            week_of.append(q.week)
            named.append(q.corpus_names_answer)
            naming = {aid for aid, a in articles.items() if contains_choice(a.text, correct)}
            for cand in ranked:
                if cand.features is None:
                    continue
                rows.append(cand.features)
                labels.append(int(label(cand.sentence.text, correct, asked)))
                question_of.append(number)
                answer_article.append(cand.sentence.article_id in naming)
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
        "names": np.asarray(FEATURES),
    }


def load_sets(paths: Sequence[Path]) -> dict[str, np.ndarray]:
    """Several feature files as one (question numbers renumbered), refusing files made for other features."""
    parts = [dict(np.load(p, allow_pickle=False)) for p in paths]
    names = [tuple(str(n) for n in part["names"]) for part in parts]
    if len(set(names)) > 1:
        raise ValueError(f"{', '.join(map(str, paths))}: made with different feature lists; re-extract them")
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


def ranking_figures(data: dict[str, np.ndarray], scores: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """On the questions of `mask` that have a positive candidate: a positive first, a positive in the top 3."""
    first = top3 = asked = 0
    for q in np.unique(data["question"][mask]):
        rows = np.flatnonzero(data["question"] == q)
        y = data["labels"][rows]
        if not y.any():
            continue
        asked += 1
        order = rows[np.lexsort((rows, -scores[rows]))]
        first += int(data["labels"][order[0]])
        top3 += int(data["labels"][order[:3]].any())
    n = asked or 1
    return {"questions_with_a_positive": asked, "positive_first": round(first / n, 4),
            "positive_in_top3": round(top3 / n, 4)}


def abstention_figures(data: dict[str, np.ndarray], scores: np.ndarray, threshold: float) -> dict[str, float]:
    """What an answer threshold does, on questions with a positive candidate.

    answered: a positive among the top 3 at or above `threshold` (the answer still names the choice);
    not_found: the same question made unanswerable by dropping every candidate whose article names the
    correct choice (as if those articles were not in the collection): no candidate left reaches `threshold`.
    """
    kept = named = refused = asked = 0
    for q in np.unique(data["question"]):
        rows = np.flatnonzero(data["question"] == q)
        if not data["labels"][rows].any():
            continue
        asked += 1
        order = rows[np.lexsort((rows, -scores[rows]))][:3]
        named += int(data["labels"][order].any())
        kept += int((data["labels"][order].astype(bool) & (scores[order] >= threshold)).any())
        rest = rows[~data["answer_article"][rows]]
        refused += int(not (scores[rest] >= threshold).any())
    n = asked or 1
    return {"threshold": threshold, "questions": asked, "choice_in_top3": round(named / n, 4),
            "choice_in_answer": round(kept / n, 4), "cost": round((named - kept) / n, 4),
            "not_found_when_unanswerable": round(refused / n, 4)}


def choose_threshold(data: dict[str, np.ndarray], scores: np.ndarray, max_cost: float = 0.02) -> float:
    """The highest threshold (most "not found" on unanswerable questions) costing at most `max_cost` answers."""
    best = 0.0
    for threshold in np.round(np.arange(0.02, 0.9, 0.01), 2):
        if abstention_figures(data, scores, float(threshold))["cost"] <= max_cost:
            best = float(threshold)
    return best


def calibration(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict[str, float]:
    """Brier score and expected calibration error (by probability decile bins) of held-out probabilities."""
    edges = np.linspace(0, 1, bins + 1)
    index = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    ece = sum(abs(p[index == b].mean() - y[index == b].mean()) * (index == b).mean()
              for b in range(bins) if (index == b).any())
    return {"brier": round(float(np.mean((p - y) ** 2)), 4), "ece": round(float(ece), 4)}


def cross_validate(data: dict[str, np.ndarray], learner: str = "logistic", folds: int = FOLDS) -> dict[str, Any]:
    """Grouped K-fold by week: every candidate's score comes from a model that never saw its week."""
    weeks = sorted(set(data["question_weeks"].tolist()))
    if len(weeks) < 2:
        raise ValueError("cross-validation by week needs the features of at least two weeks")
    folds = min(folds, len(weeks))
    fold_of_week = {w: i % folds for i, w in enumerate(weeks)}
    candidate_week = data["question_weeks"][data["question"]]
    fold = np.array([fold_of_week[w] for w in candidate_week])
    held_out = np.zeros(len(fold))
    for k in range(folds):
        test = fold == k
        model = _fit(data["features"][~test], data["labels"][~test], learner)
        held_out[test] = model.predict_proba(data["features"][test])[:, 1]
    hand = data["features"][:, list(data["names"]).index("hand")]
    everything = np.ones(len(fold), dtype=bool)
    return {
        "learner": learner, "folds": folds, "weeks": len(weeks), "candidates": len(fold),
        "held_out": ranking_figures(data, held_out, everything),
        "hand_same_candidates": ranking_figures(data, hand, everything),
        "calibration": calibration(data["labels"].astype(float), held_out),
        "scores": held_out,
    }


def model_json(data: dict[str, np.ndarray], trained_on: dict[str, Any]) -> dict[str, Any]:
    """The logistic regression fitted on all of `data`, as the JSON answer/ranker.py reads."""
    pipeline = _fit(data["features"], data["labels"], "logistic")
    scaler, regression = pipeline.steps[0][1], pipeline.steps[1][1]
    return {
        "about": "Learned answer ranker: logistic regression over answer/features.py FEATURES; "
                 "rebuild with `python -m newsdesk.eval.train_ranker` (see its docstring).",
        "features": [str(n) for n in data["names"]],
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "weights": [round(float(v), 6) for v in regression.coef_[0]],
        "intercept": round(float(regression.intercept_[0]), 6),
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
    report = cross_validate(data, args.learner)
    held_out = report.pop("scores")
    threshold = choose_threshold(data, held_out)  # chosen on held-out scores of the training weeks
    report["abstention_held_out"] = abstention_figures(data, held_out, threshold)
    if args.test:
        test = load_sets(args.test)
        final = _fit(data["features"], data["labels"], args.learner)
        scores = final.predict_proba(test["features"])[:, 1]
        hand = test["features"][:, list(test["names"]).index("hand")]
        everything = np.ones(len(scores), dtype=bool)
        report["test"] = {"files": [p.name for p in args.test], "ranking": ranking_figures(test, scores, everything),
                          "hand_same_candidates": ranking_figures(test, hand, everything),
                          "calibration": calibration(test["labels"].astype(float), scores),
                          "abstention": abstention_figures(test, scores, threshold)}
    print(json.dumps(report, indent=1))
    if args.model:
        weeks = sorted(set(data["question_weeks"].tolist()))
        trained = {"files": [p.name for p in args.features], "weeks": f"{weeks[0]}..{weeks[-1]} ({len(weeks)})",
                   "candidates": len(data["labels"]), "positive": int(data["labels"].sum()),
                   "answer_confidence": threshold}
        args.model.write_text(json.dumps(model_json(data, trained), indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
