"""The sheet users fill in: one row per person, one dated column per step, and the columns a step
needs besides its date (people named on it, votes, training, the approving committee).

The headers are data (what users type and what the template shows), not UI strings. A step is
replayed when its date column is filled; the columns of a step are read only then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from xianfeng.development.steps import STEPS, Role

MAX_ROWS = 1_000
# Every step is replayed through the services (about 15 ms each on SQLite, twice: preview and
# confirmation), so a file is bounded by its steps: 3,000 keep a request well under a minute.
MAX_STEPS = 3_000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # the file waits in the session between preview and confirmation
PENDING_TTL = dt.timedelta(hours=getattr(settings, "XIANFENG_IMPORT_BATCH_HOURS", 2))
MAX_COLUMNS = 80


def max_bytes() -> int:
    """The member import's size limit, at most 5 MB (the checked file waits in the session)."""
    return min(int(settings.XIANFENG_IMPORT_MAX_BYTES), DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # unique; a step's date column has the step's code as key
    kind: str  # id_number, code, name, date, dates, people, int, decimal, text, org
    step: str = ""  # the step the column belongs to
    field: str = ""  # the Proposed field it fills (`date` for a date column)
    role: str = ""  # people columns: the role of the people named
    note: str = ""


def _votes(step: str, prefix: str) -> tuple[Column, ...]:
    return (
        Column(
            f"{prefix}应到人数",
            f"{step}.should_attend",
            "int",
            step,
            "should_attend",
            note="应到会有表决权的正式党员人数",
        ),
        Column(
            f"{prefix}实到人数",
            f"{step}.present",
            "int",
            step,
            "present",
            note="实到会有表决权的正式党员人数",
        ),
        Column(
            f"{prefix}书面意见数",
            f"{step}.written_opinions",
            "int",
            step,
            "written_opinions",
            note="因故缺席党员会前提交的书面意见数，可不填",
        ),
        Column(f"{prefix}赞成票数", f"{step}.votes_for", "int", step, "votes_for"),
        Column(f"{prefix}反对票数", f"{step}.votes_against", "int", step, "votes_against"),
        Column(f"{prefix}弃权票数", f"{step}.abstentions", "int", step, "abstentions"),
    )


_DATE_HEADERS: dict[str, str] = {
    "application": "递交申请日期",
    "talk": "谈话日期",
    "activist": "确定积极分子日期",
    "activist_filed": "积极分子备案日期",
    "contacts": "指定培养联系人日期",
    "activist_review": "培养考察日期",
    "candidate": "确定发展对象日期",
    "candidate_filed": "发展对象备案日期",
    "sponsors": "确定入党介绍人日期",
    "political_review": "政治审查日期",
    "training": "集中培训日期",
    "committee_check": "支部委员会审查日期",
    "pre_review": "上级党委预审日期",
    "volunteer_form": "填写入党志愿书日期",
    "acceptance_meeting": "接收预备党员日期(支部大会)",
    "higher_talk": "上级党委谈话日期",
    "approval": "审批日期",
    "approval_filed": "审批备案日期",
    "placement": "编入支部和党小组日期",
    "oath": "入党宣誓日期",
    "probation_review": "预备期考察日期",
    "conversion_application": "转正申请日期",
    "conversion_meeting": "转正支部大会日期",
    "conversion_approval": "转正审批日期",
    "archived": "材料归档日期",
}
_PEOPLE_HEADERS = {
    "talk": "谈话人",
    "contacts": "培养联系人",
    "sponsors": "入党介绍人",
    "higher_talk": "上级党委谈话人",
}
_PEOPLE_NOTE = "姓名或身份证号码，多人用“、”分隔；重名时请填身份证号码"
_REPEATED_NOTE = "可填多个日期，用“、”或“；”分隔"


def _extra(step: str, role: str) -> tuple[Column, ...]:
    """The columns a step needs besides its date."""
    if step in _PEOPLE_HEADERS:
        return (
            Column(_PEOPLE_HEADERS[step], f"{step}.people", "people", step, "people", role, _PEOPLE_NOTE),
        )
    if step == "political_review":
        return (
            Column(
                "政治审查结论", f"{step}.conclusion", "text", step, "conclusion", note="结论性意见（必填）"
            ),
        )
    if step == "training":
        return (
            Column(
                "培训天数", f"{step}.training_days", "decimal", step, "training_days", note="一般不少于3天"
            ),
            Column(
                "培训学时", f"{step}.training_hours", "int", step, "training_hours", note="或不少于24学时"
            ),
        )
    if step == "acceptance_meeting":
        return _votes(step, "接收大会")
    if step == "conversion_meeting":
        return _votes(step, "转正大会")
    if step in ("approval", "conversion_approval"):
        prefix = "" if step == "approval" else "转正"
        return (
            Column(
                f"{prefix}审批党委(名称或编码)",
                f"{step}.approving_org",
                "org",
                step,
                "approving_org",
                note="具有审批权限的基层党委",
            ),
            Column(
                f"{prefix}审批超期原因",
                f"{step}.delay_reason",
                "text",
                step,
                "delay_reason",
                note="支部大会后超过3个月审批时必填",
            ),
        )
    return ()


def _step_columns() -> tuple[Column, ...]:
    out: list[Column] = []
    for step in STEPS:
        kind = "dates" if step.repeatable else "date"
        note = _REPEATED_NOTE if step.repeatable else ""
        out.append(Column(_DATE_HEADERS[step.code], step.code, kind, step.code, "date", note=note))
        out.extend(_extra(step.code, step.role))
        if step.code == "conversion_approval":
            out.append(CONVERSION_DATE)
    return tuple(out)


IDENTITY_COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", "name", note="用于核对，须与系统记录一致"),
    Column("身份证号码", "id_number", "id_number", note="18 位，请以文本格式填写；与人员编码二选一"),
    Column("人员编码", "code", "code", note="系统中的人员编码（UUID）；与身份证号码二选一"),
)
CONVERSION_DATE = Column(
    "转正日期", "conversion_date", "date", note="可不填；填写时须等于预备期满之日（支部大会通过之日起一年）"
)
COLUMNS: tuple[Column, ...] = (*IDENTITY_COLUMNS, *_step_columns())
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)

# Service error fields that are not Proposed fields, and the column they belong to.
KEY_DATE_COLUMNS = {
    "application_date": "application",
    "activist_date": "activist",
    "candidate_date": "candidate",
    "admission_date": "acceptance_meeting",
    "conversion_date": "conversion_date",
}
PEOPLE_ROLES = {c.step: c.role for c in COLUMNS if c.kind == "people"}
assert set(PEOPLE_ROLES.values()) <= set(Role.values)
