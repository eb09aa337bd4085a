"""The sheet layout users fill in: limits, the columns and the Chinese labels of choice values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from xianfeng.people.choices import Education, Gender, PoliticalStatus

MAX_ROWS = getattr(settings, "XIANFENG_IMPORT_MAX_ROWS", 20_000)
BATCH_TTL = dt.timedelta(hours=getattr(settings, "XIANFENG_IMPORT_BATCH_HOURS", 2))


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    required: bool = False
    note: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", "text", True),
    Column("身份证号码", "id_number", "id_number", True, "18 位，请以文本格式填写"),
    Column("性别", "gender", "gender", False, "可不填，按身份证号码自动识别"),
    Column("民族", "ethnicity", "ethnicity", False, "如：汉族；不填为汉族"),
    Column("出生日期", "birth_date", "date", False, "可不填，按身份证号码自动识别"),
    Column("手机号码", "phone", "phone"),
    Column("学历", "education", "education"),
    Column("工号", "employee_no", "text"),
    Column("单位", "business_unit", "text"),
    Column("部门", "department", "text"),
    Column("岗位", "job_post", "text"),
    Column("入职日期", "hire_date", "date"),
    Column("所在组织(名称或编码)", "org", "org", True, "组织全称或组织编码，须在您的导入权限范围内"),
    Column("党小组", "party_group", "party_group", False, "所在组织下的党小组名称或编码"),
    Column("政治面貌", "status", "status", True),
    Column("申请入党日期", "application_date", "date"),
    Column("确定积极分子日期", "activist_date", "date"),
    Column("确定发展对象日期", "candidate_date", "date"),
    Column("接收预备党员日期", "admission_date", "date"),
    Column("转正日期", "conversion_date", "date"),
)
HEADERS = tuple(column.header for column in COLUMNS)
HEADER_BY_FIELD = {column.field: column.header for column in COLUMNS}

# The Chinese labels used in files (first one per value is the one we write); data, not UI text.
GENDER_NAMES = {Gender.MALE: "男", Gender.FEMALE: "女"}
EDUCATION_NAMES = {
    Education.DOCTORATE: "博士研究生",
    Education.MASTER: "硕士研究生",
    Education.BACHELOR: "大学本科",
    Education.COLLEGE: "大学专科",
    Education.SECONDARY_VOCATIONAL: "中专",
    Education.HIGH_SCHOOL: "高中",
    Education.JUNIOR_OR_BELOW: "初中及以下",
}
STATUS_NAMES = {
    PoliticalStatus.APPLICANT: "入党申请人",
    PoliticalStatus.ACTIVIST: "入党积极分子",
    PoliticalStatus.CANDIDATE: "发展对象",
    PoliticalStatus.PROBATIONARY: "预备党员",
    PoliticalStatus.FULL: "正式党员",
}
DATE_FORMATS_HELP = "2020-01-02、2020/1/2、2020.01.02 或 Excel 日期"
