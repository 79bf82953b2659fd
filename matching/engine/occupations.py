"""Occupation classification codes (national classification 2022, e.g. "4-10-01-06") cut into group prefixes."""

from __future__ import annotations

# Depths compared as groups: major ("4"), middle ("4-10"), minor ("4-10-01"). The full code is
# compared on its own, so two codes score "same code" only when they are equal.
GROUP_DEPTHS = 3


def group_prefixes(code: str) -> tuple[str | None, ...]:
    """Prefixes of a code at depths 1..3; None where the code has fewer segments."""
    segments = code.split("-")
    return tuple(
        "-".join(segments[:depth]) if len(segments) >= depth else None for depth in range(1, GROUP_DEPTHS + 1)
    )
