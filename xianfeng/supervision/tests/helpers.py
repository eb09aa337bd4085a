"""Builders for supervision tests, on the shared world (xianfeng/conftest.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xianfeng.supervision import services
from xianfeng.supervision.models import Rectification, RectificationBatch, TaskItem, TaskList

D = dt.date
ISSUED = D(2026, 2, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def task_list(world: Any, **extra: Any) -> TaskList:
    data: dict[str, Any] = {
        "year": 2026,
        "title": "2026年全面从严治党重点任务清单",
        "issued_on": ISSUED,
        "categories": ["党风廉政建设", "组织建设"],
    }
    data.update(extra)
    return services.task_list_create(actor=world.boss, org=world.committee, **data)


def item(world: Any, tl: TaskList | None = None, **extra: Any) -> TaskItem:
    tl = tl or task_list(world)
    data: dict[str, Any] = {
        "title": "支委会专题研究党风廉政建设2次",
        "lead_org": world.branch_a,
        "deadline": D(2026, 6, 30),
        "lead_person": world.dang_membership.person,
        "category": "党风廉政建设",
        "acceptance": "会议记录2份",
    }
    data.update(extra)
    return services.item_add(actor=world.boss, task_list=tl, data=services.ItemIn(**data))


def batch(world: Any, **extra: Any) -> RectificationBatch:
    data: dict[str, Any] = {
        "source": "inspection",
        "title": "2026年公司党委第一巡察组反馈问题",
        "issued_on": ISSUED,
    }
    data.update(extra)
    return services.batch_create(actor=world.boss, org=world.committee, **data)


def rectification(world: Any, b: RectificationBatch | None = None, **extra: Any) -> Rectification:
    b = b or batch(world)
    data: dict[str, Any] = {
        "problem": "“三会一课”记录不规范",
        "category": "organizational",
        "responsible_org": world.branch_a,
        "responsible_person": world.dang_membership.person,
        "measures": "重新学习支部工作条例，规范记录",
        "deadline": D(2026, 4, 30),
    }
    data.update(extra)
    return services.rectification_add(actor=world.boss, batch=b, **data)
