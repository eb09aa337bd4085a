"""The rectification notice (整改通知单) of a batch as .docx, in the GB/T 9704 body profile of
development.documents (A4, 37/35/28/26 mm, title 2号 小标宋, body 3号 仿宋, exact 28.95 pt, page
numbers "— n —"; the problem table in 五号). Nothing is invented: a missing person reads 【待补充】."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from xianfeng.core import audit
from xianfeng.development.documents import (
    DOCX_CONTENT_TYPE,
    _bytes,
    _document,
    _field,
    _paragraph,
    _signature,
    _table,
    _title,
    day_text,
)
from xianfeng.orgs.models import Org
from xianfeng.supervision import rules
from xianfeng.supervision.models import Rectification, RectificationBatch

__all__ = ["DOCX_CONTENT_TYPE", "notice_filename", "rectification_notice", "rectification_notice_export"]


def rectification_notice(
    batch: RectificationBatch, items: Sequence[Rectification], to: Org | None = None
) -> bytes:
    document = _document()
    _title(document, "整改通知单")
    recipients = [to.name] if to else sorted({i.responsible_org.name for i in items})
    _paragraph(document, ["、".join(recipients) + "：" if recipients else None], indent=False)
    immediate = sum(1 for i in items if i.immediate)
    _paragraph(
        document,
        [
            f"根据{batch.title}（{batch.get_source_display()}），现将发现的{len(items)}个问题反馈给你单位"
            + (f"，其中立行立改问题{immediate}个" if immediate else "")
            + "。请对照问题逐项制定整改措施，明确责任人和完成时限，按期完成整改，并将整改情况及佐证材料报送"
            f"{batch.org.name}，经验收后销号。"
        ],
    )
    rows = [
        (
            str(i.number),
            i.problem,
            str(i.get_category_display()),
            i.responsible_org.name,
            i.responsible_person.name if i.responsible_person else None,
            day_text(i.deadline) + ("（立行立改）" if i.immediate else ""),
        )
        for i in items
    ]
    _table(
        document, ("序号", "问题", "类别", "责任单位", "责任人", "完成时限"), rows, (12, 54, 18, 30, 16, 26)
    )
    _paragraph(document, indent=False)
    _field(
        document,
        "整改要求",
        "坚决杜绝边改边犯和文字整改，做好整改“后半篇文章”；逾期未完成的，按督办程序下发工单",
    )
    _signature(document, batch.org.name, batch.issued_on)
    return _bytes(document)


def notice_filename(batch: RectificationBatch) -> str:
    name = re.sub(r"[\\/:*?\"<>|]", "", f"整改通知单-{batch.title}")[:80]
    return quote(f"{name}.docx")


def rectification_notice_export(
    *, actor: Any, batch: RectificationBatch, items: Sequence[Rectification], to: Org | None = None
) -> bytes:
    content = rectification_notice(batch, items, to)
    audit.record(
        actor=actor,
        action="export.rectification_notice",
        target=batch,
        org=batch.org,
        after=audit.Snapshot(items=len(items), to=to.name if to else "", on=rules.today().isoformat()),
        target_repr=str(batch),
    )
    return content
