"""Member development over the API: the board, a person's steps (read, record, void) and the plans
(views.py; serializers in serializers.py)."""

from xianfeng.development.api.reports import ThoughtReportsApi, ThoughtReportVoidApi
from xianfeng.development.api.views import BoardApi, MembershipStepsApi, PlansApi, StepVoidApi

__all__ = [
    "BoardApi",
    "MembershipStepsApi",
    "PlansApi",
    "StepVoidApi",
    "ThoughtReportVoidApi",
    "ThoughtReportsApi",
]
