"""Party dues over the API: bases, payments, arrears, the collection sheet, totals, remittances.

Memberships are addressed by their UUID `code`, organizations by id, bases by id; months are written
`YYYY-MM`. Lists go through the same scoped querysets (`.restrict`) and the same selectors as the pages;
writes go through dues.services, whose errors come back as {"errors": [{"field", "message", "code"}]}.

Access (decisions):
- Lists (bases, payments) are restricted to the caller's VIEW scope plus their own rows; `?org=` narrows
  to a subtree (an unknown or invisible org gives an empty list, like the member list).
- Computed reports (arrears, sheet, summary) name an org: an unknown or invisible one is a 404, so a
  caller cannot tell them apart; a malformed id or month is a 400 naming the parameter.
- A membership or org named in a request body that the caller cannot see is a 400 naming the field
  (as elsewhere in the API); one they see but may not change is a 403 from the service.
- The monthly base is income, so `base` (and the hardship reason) is shown only to callers who may
  change dues in the member's org, and to the member themselves; everyone else reads null. The monthly
  amount is not hidden: it is what the collection sheet shows to the branch (DUES-17 disclosure).
"""

from xianfeng.dues.api.records import (
    ArrearsReasonApi,
    DuesBaseAdjustApi,
    DuesBaseListCreateApi,
    DuesHardshipApi,
    DuesPaymentListCreateApi,
    RemittanceApi,
    RemittanceRatioApi,
)
from xianfeng.dues.api.reports import DuesArrearsApi, DuesSheetApi, DuesSummaryApi, MemberYearApi

__all__ = [
    "ArrearsReasonApi",
    "DuesArrearsApi",
    "DuesBaseAdjustApi",
    "DuesBaseListCreateApi",
    "DuesHardshipApi",
    "DuesPaymentListCreateApi",
    "DuesSheetApi",
    "DuesSummaryApi",
    "MemberYearApi",
    "RemittanceApi",
    "RemittanceRatioApi",
]
