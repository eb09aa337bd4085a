"""Compact storage of the record ids behind a fact: sorted, delta-encoded, zlib-compressed, base64.

A province's "dues collected" stands on about a million payments; as JSON numbers that is 8 MB per
snapshot, delta-encoded and compressed it is a few kilobytes (consecutive ids compress to almost
nothing), so every document can keep every id it was built from.
"""

from __future__ import annotations

import base64
import itertools
import zlib
from array import array
from collections.abc import Iterable


def pack(ids: Iterable[int]) -> str:
    values = sorted(set(ids))
    if not values:
        return ""
    deltas = array("q", [values[0]] + [b - a for a, b in itertools.pairwise(values)])
    return base64.b64encode(zlib.compress(deltas.tobytes(), 6)).decode("ascii")


def unpack(text: str) -> list[int]:
    if not text:
        return []
    deltas = array("q")
    deltas.frombytes(zlib.decompress(base64.b64decode(text)))
    out: list[int] = []
    total = 0
    for d in deltas:
        total += d
        out.append(total)
    return out
