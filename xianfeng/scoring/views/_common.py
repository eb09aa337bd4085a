"""Access helpers of the scheme pages.

A scheme is run by a committee, but the people it concerns sit below: a branch administrator sees
the schemes of the orgs above their branch (and below), and within them only their subtree's rows
(entries and results are scoped by the subject's org through core.scoping)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from xianfeng.core.roles import Action
from xianfeng.scoring.models import Period, Scheme
from xianfeng.scoring.selectors import schemes_for


def get_scheme(user: Any, pk: int) -> Scheme:
    scheme = schemes_for(user).filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def get_period(user: Any, pk: int) -> Period:
    period = Period.objects.select_related("scheme__org").filter(pk=pk, scheme__in=schemes_for(user)).first()
    if period is None:
        raise Http404
    return period


def require_staff(user: Any) -> None:
    from xianfeng.core.scoping import can

    if not can(user, Action.VIEW, None):
        raise PermissionDenied
