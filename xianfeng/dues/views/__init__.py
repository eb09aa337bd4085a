"""The dues pages: the collection sheet, bases, a member's dues, arrears, totals and remittance."""

from xianfeng.dues.views.arrears import arrears_list
from xianfeng.dues.views.bases import bases
from xianfeng.dues.views.collection import collect, sheet
from xianfeng.dues.views.members import (
    me,
    member,
    member_adjust,
    member_base,
    member_hardship,
    member_pay,
    member_reason,
)
from xianfeng.dues.views.summary import ratio_set, remittance_create, summary

__all__ = [
    "arrears_list",
    "bases",
    "collect",
    "me",
    "member",
    "member_adjust",
    "member_base",
    "member_hardship",
    "member_pay",
    "member_reason",
    "ratio_set",
    "remittance_create",
    "sheet",
    "summary",
]
