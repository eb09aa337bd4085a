"""Private helpers shared by the import modules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

LOOKUP_CHUNK = 10_000  # values per IN (…) look-up: one query for a 10,000-row file


def _chunks(values: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
