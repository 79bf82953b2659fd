"""Benchmark: our occupation coder against plain rapidfuzz on labelled, messy job titles.

Run from the repository root:  .venv/bin/python bench/occupation_coder.py [--show-errors] [--repeat N]

The labelled set (bench/data/labelled_titles.csv, columns title,code) holds job titles as a county
employment bureau posts them, each labelled by hand with the code read from the classification.
The baseline is rapidfuzz.process.extractOne(title, choices, scorer=fuzz.WRatio) on the raw title
over every name and alias of the classification (all levels, so it can also hit a group code).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from taxonomy.occupation_coder import (  # noqa: E402
    OccupationCoder,
    load_csco_rows,
    strip_occupation_marker,
)

LABELLED = Path(__file__).resolve().parent / "data" / "labelled_titles.csv"


def load_labelled(path: Path = LABELLED) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["title"], row["code"].strip()) for row in csv.DictReader(handle)]


def baseline_choices(rows: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """Every name and alias of the classification (first code wins for a repeated string)."""
    seen: dict[str, str] = {}
    for row in rows:
        for choice in [row["name"], *row["alias"].replace("\n", ",").split(",")]:
            choice = strip_occupation_marker(choice)
            if choice:
                seen.setdefault(choice, row["code"])
    return list(seen), list(seen.values())


def run_baseline(titles: list[str], choices: list[str], codes: list[str]) -> list[str | None]:
    predictions: list[str | None] = []
    for title in titles:
        match = process.extractOne(title, choices, scorer=fuzz.WRatio)
        predictions.append(codes[match[2]] if match else None)
    return predictions


def timed(function, repeat: int) -> tuple[object, float]:
    """The result of the last run and the median wall time over `repeat` runs."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def accuracy(predictions: list[str | None], labels: list[str]) -> tuple[float, float]:
    exact = sum(p == label for p, label in zip(predictions, labels, strict=True)) / len(labels)
    major = sum(bool(p) and p[0] == label[0] for p, label in zip(predictions, labels, strict=True)) / len(
        labels
    )
    return exact, major


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="print every title our coder gets wrong")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per method (median is reported)")
    args = parser.parse_args()

    labelled = load_labelled()
    titles = [title for title, _code in labelled]
    labels = [code for _title, code in labelled]
    rows = load_csco_rows()

    start = time.perf_counter()
    coder = OccupationCoder.from_rows(rows)
    build_seconds = time.perf_counter() - start
    results, ours_seconds = timed(lambda: coder.code_many(titles), args.repeat)
    _single, ours_single_seconds = timed(
        lambda: [coder.code(title) for title in titles], max(1, args.repeat // 2)
    )
    ours = [result.code for result in results]

    # Ablation: the same pipeline with only the classification's own aliases (no curated file).
    plain_coder = OccupationCoder.from_rows(rows, extra_aliases=[])
    plain = [result.code for result in plain_coder.code_many(titles)]

    choices, choice_codes = baseline_choices(rows)
    baseline, baseline_seconds = timed(lambda: run_baseline(titles, choices, choice_codes), args.repeat)

    ours_exact, ours_major = accuracy(ours, labels)
    plain_exact, plain_major = accuracy(plain, labels)
    base_exact, base_major = accuracy(baseline, labels)
    ours_rate = len(titles) / ours_seconds
    ours_single_rate = len(titles) / ours_single_seconds
    base_rate = len(titles) / baseline_seconds
    in_group = sum(
        code == label or (code is not None and code in coder.parents(label))
        for code, label in zip(ours, labels, strict=True)
    ) / len(labels)

    print(f"labelled titles: {len(titles)}  (distinct labels: {len(set(labels))})")
    print(f"baseline choices: {len(choices)} names and aliases; coder built in {build_seconds:.2f} s")
    print()
    print(f"{'':28s}{'ours':>12s}{'baseline':>12s}{'ratio':>9s}")
    print(f"{'exact-code accuracy':28s}{ours_exact:>12.1%}{base_exact:>12.1%}{ours_exact / base_exact:>9.2f}")
    print(
        f"{'same-major-group accuracy':28s}{ours_major:>12.1%}{base_major:>12.1%}{ours_major / base_major:>9.2f}"
    )
    print(
        f"{'titles per second (batch)':28s}{ours_rate:>12.0f}{base_rate:>12.0f}{ours_rate / base_rate:>9.2f}"
    )
    print(
        f"{'titles per second (1 by 1)':28s}{ours_single_rate:>12.0f}{base_rate:>12.0f}{ours_single_rate / base_rate:>9.2f}"
    )
    print()
    print(f"ours, code equal to the label or one of its broader groups: {in_group:.1%}")
    print(
        f"ours without the curated alias file: exact {plain_exact:.1%}, same major group {plain_major:.1%}"
        f" (ratio to baseline {plain_exact / base_exact:.2f} / {plain_major / base_major:.2f})"
    )
    methods = Counter(result.method for result in results)
    print("ours by method (count, exact-code accuracy, mean confidence):")
    for method in ("exact", "alias", "tfidf", "fuzzy", "group", "none"):
        picked = [(r, label) for r, label in zip(results, labels, strict=True) if r.method == method]
        if picked:
            right = sum(r.code == label for r, label in picked) / len(picked)
            confidence = statistics.mean(r.confidence for r, _label in picked)
            print(f"  {method:6s} {methods[method]:4d}  {right:6.1%}  {confidence:.2f}")
    print("ours by confidence (count, exact-code accuracy):")
    for low, high in ((0.9, 1.01), (0.7, 0.9), (0.5, 0.7), (0.0, 0.5)):
        picked = [(r, label) for r, label in zip(results, labels, strict=True) if low <= r.confidence < high]
        if picked:
            right = sum(r.code == label for r, label in picked) / len(picked)
            print(
                f"  [{low:.1f}, {min(high, 1.0):.1f}{']' if high > 1 else ')'}  {len(picked):4d}  {right:6.1%}"
            )
    if args.show_errors:
        print("\nmisses (title → ours [method confidence] / label):")
        for result, label in zip(results, labels, strict=True):
            if result.code != label:
                print(
                    f"  {result.title} → {result.code} {result.name} [{result.method} {result.confidence:.2f}]"
                    f" / {label} {coder.entry(label).name if coder.entry(label) else '?'}"
                )


if __name__ == "__main__":
    main()
