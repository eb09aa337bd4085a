"""Demo data for this module, built through its services after the members and activities exist: the
root committee's summary of the current year so far, so the summaries page has a document to open
(the drafting-term list comes with the migration)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xianfeng.demo import DemoResult


def build_demo(result: DemoResult, *, today: dt.date) -> None:
    from xianfeng.reports import jobs, services
    from xianfeng.reports.models import JobStatus

    job = services.summary_job_create(actor=None, org=result.root, year=today.year, today=today)
    done = jobs.run(job.pk, today=today)
    if done.status != JobStatus.DONE:  # nothing to summarise yet: no failed job in a fresh demo
        done.delete()
