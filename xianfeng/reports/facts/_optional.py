"""Helpers for providers whose module is being built in parallel (scoring, supervision, publicity):
their facts are declared now, so templates can name them, and read as unavailable until the module's
models exist."""

from __future__ import annotations

from typing import Any

from django.apps import apps


def model(label: str) -> Any | None:
    """The model `app_label.ModelName` if the app is installed and defines it, else None."""
    app_label, name = label.split(".")
    if not apps.is_installed(f"xianfeng.{app_label}"):
        return None
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None
