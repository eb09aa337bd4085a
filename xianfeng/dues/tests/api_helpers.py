"""Helpers of the dues API tests: bearer clients, the error fields, what a refused write may leave."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.core.models import AuditEvent
from xianfeng.dues.models import (
    ArrearsReason,
    DuesBase,
    DuesBaseAdjustment,
    DuesPayment,
    Remittance,
    RemittanceRatio,
)
from xianfeng.dues.tests.helpers import set_base

URL = "/api/v1/dues/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def client_of(world, user):
    return api(getattr(world, user) if user else None)


def fields(response):
    return [e["field"] for e in response.json()["errors"]]


def target(world, user):
    """The membership a refused write names: dang names their own (visible, not changeable), anyone
    else (and "dang_other") names 张三 of branch A."""
    return str((world.dang_membership if user == "dang" else world.member_a).code)


def written():
    """Everything a dues write could leave behind."""
    return (
        DuesBase.objects.count(),
        DuesBaseAdjustment.objects.count(),
        DuesPayment.objects.count(),
        ArrearsReason.objects.count(),
        Remittance.objects.count(),
        RemittanceRatio.objects.count(),
        AuditEvent.objects.filter(action__startswith="dues.").count(),
    )


def queries_of(client, url, params=None):
    client.get(url, params)  # warm: the token's last_used is written once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.json()
    return len(captured.captured_queries), response.json()


def set_bases(world):
    """A 2025 base of 4,000 yuan (40.00 a month) for 张三 and 王党员 of branch A and 李四 of branch B."""
    for membership in (world.member_a, world.dang_membership, world.member_b):
        set_base(membership)
    return world
