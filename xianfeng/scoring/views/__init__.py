"""The evaluation pages: schemes and their editor, periods (ranking and close), the evaluator's grid,
manual entries, exports, a member's own points and a branch's assessment."""

from xianfeng.scoring.views.entries import entry_approve, entry_new, entry_reject
from xianfeng.scoring.views.exports import export_ranking, export_sheet
from xianfeng.scoring.views.grid import cell, grid, scores_import
from xianfeng.scoring.views.mine import branch, mine
from xianfeng.scoring.views.periods import period, period_compute, period_lock, period_publish, period_reopen
from xianfeng.scoring.views.schemes import scheme, scheme_activate, schemes

__all__ = [
    "branch",
    "cell",
    "entry_approve",
    "entry_new",
    "entry_reject",
    "export_ranking",
    "export_sheet",
    "grid",
    "mine",
    "period",
    "period_compute",
    "period_lock",
    "period_publish",
    "period_reopen",
    "scheme",
    "scheme_activate",
    "schemes",
    "scores_import",
]
