"""What the benchmarks share: peak memory and a plain two-column table."""

from __future__ import annotations

import resource
import sys

MIB = 1024 * 1024


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def table(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"\n{title}")
    print("-" * len(title))
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    sys.stdout.flush()
