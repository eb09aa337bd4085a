from xianfeng.reports.views.documents import (
    block_edit,
    document_detail,
    document_download,
    fact_records,
)
from xianfeng.reports.views.pages import build, facts_page, job_detail, summaries
from xianfeng.reports.views.settings import settings_page

__all__ = [
    "block_edit",
    "build",
    "document_detail",
    "document_download",
    "fact_records",
    "facts_page",
    "job_detail",
    "settings_page",
    "summaries",
]
