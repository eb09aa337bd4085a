"""The development pages: the board, a person's timeline and step forms, the year's plan."""

from xianfeng.development.views.board import board
from xianfeng.development.views.documents import checklist, conversion_notice, publicity
from xianfeng.development.views.person import person_page, record, void
from xianfeng.development.views.plan import plan, plan_set
from xianfeng.development.views.step_documents import document_add, document_download, document_remove
from xianfeng.development.views.thought_reports import report_record, report_void

__all__ = [
    "board",
    "checklist",
    "conversion_notice",
    "document_add",
    "document_download",
    "document_remove",
    "person_page",
    "plan",
    "plan_set",
    "publicity",
    "record",
    "report_record",
    "report_void",
    "void",
]
