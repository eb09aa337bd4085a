from __future__ import annotations

from typing import TypeVar

from django.db import models

from xianfeng.core.scoping import ScopedQuerySet

_M = TypeVar("_M", bound=models.Model)


class MemberScopedQuerySet(ScopedQuerySet[_M]):
    """Rows that belong to a member follow the member's current org; the member sees their own."""

    org_path_field = "membership__org__path"
    self_field = "membership__person__user"
