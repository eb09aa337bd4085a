from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Evidence files go to a temporary directory, not the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
