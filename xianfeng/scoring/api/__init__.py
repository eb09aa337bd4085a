"""Evaluation schemes over the API: schemes (read), entries (list, create, approve, reject), grid
cells (optimistic versioning: 409 on a stale version), period close actions, results and rankings.

Access is the pages' access: schemes of orgs in or above the caller's subtrees; entries and results
restricted to the caller's VIEW scope plus their own rows (a member sees their own entries, and their
own result once the period is published); writes go through scoring.services and closing, whose
errors come back as {"errors": [{"field", "message", "code"}]}. Rankings follow the scheme's
visibility for callers without a role: the whole ranking, their own position, or nothing.
"""

from xianfeng.scoring.api.views import (
    CellApi,
    EntryDecisionApi,
    EntryListCreateApi,
    PeriodCloseApi,
    RankingApi,
    ResultListApi,
    SchemeDetailApi,
    SchemeListApi,
)

__all__ = [
    "CellApi",
    "EntryDecisionApi",
    "EntryListCreateApi",
    "PeriodCloseApi",
    "RankingApi",
    "ResultListApi",
    "SchemeDetailApi",
    "SchemeListApi",
]
