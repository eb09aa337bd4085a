"""Running report jobs: a small DB-backed job table (no job mechanism exists in the project yet).

A job is claimed with a conditional UPDATE (queued → running), so a thread and the management command
never run the same job twice. XIANFENG_REPORTS_JOB_MODE:
- "thread" (default): the request that queues the job starts a daemon thread that runs it once the
  request's transaction has committed; the page polls the job's progress;
- "inline": run it within the request (tests, tiny installations);
- "command": leave it queued for `manage.py reports_run_jobs` (cron, systemd timer or a worker loop
  with --loop), for deployments that do not want work in web processes.
A job that fails records its message and builds no document (the document is written in one
transaction at the very end). A job left running by a process that died is failed by the next
`reports_run_jobs` after XIANFENG_REPORTS_JOB_STALE_MINUTES (30).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from xianfeng.reports.models import JobStatus, ReportJob
from xianfeng.reports.services import BuildError, build_summary

log = logging.getLogger(__name__)


def mode() -> str:
    return str(getattr(settings, "XIANFENG_REPORTS_JOB_MODE", "thread"))


def dispatch(job: ReportJob) -> None:
    """Start the job as the configured mode says."""
    chosen = mode()
    if chosen == "inline":
        run(job.pk)
    elif chosen == "thread":
        transaction.on_commit(lambda: _thread(job.pk))


def _thread(job_id: int) -> None:
    def target() -> None:
        close_old_connections()  # this thread's own connection, opened fresh
        try:
            run(job_id)
        finally:
            connection.close()

    threading.Thread(target=target, name=f"report-job-{job_id}", daemon=True).start()


def claim(job_id: int) -> bool:
    return bool(
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started=timezone.now(), progress=1, stage="开始"
        )
    )


def fail(job_id: int, message: str) -> None:
    ReportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=message[:4000], finished=timezone.now(), stage="失败"
    )


def run(job_id: int, today: dt.date | None = None) -> ReportJob:
    """Run one queued job to the end (done or failed); returns the job as it ended."""
    if claim(job_id):
        job = ReportJob.objects.select_related("org", "created_by").get(pk=job_id)
        try:
            build_summary(job, today=today)
        except BuildError as exc:
            fail(job_id, str(exc))
        except Exception as exc:  # the job must end visibly whatever went wrong
            log.exception("report job %s failed", job_id)
            fail(job_id, f"生成失败（系统错误：{type(exc).__name__}）。请联系系统管理员。")
    return ReportJob.objects.get(pk=job_id)


def fail_stale(now: dt.datetime | None = None) -> int:
    minutes = int(getattr(settings, "XIANFENG_REPORTS_JOB_STALE_MINUTES", 30))
    cutoff = (now or timezone.now()) - dt.timedelta(minutes=minutes)
    return ReportJob.objects.filter(status=JobStatus.RUNNING, started__lt=cutoff).update(
        status=JobStatus.FAILED, error="生成中断（处理进程已停止），请重新生成。", finished=timezone.now()
    )


def run_queued(limit: int | None = None) -> int:
    """Run queued jobs oldest first; the number run."""
    done = 0
    fail_stale()
    for job_id in (
        ReportJob.objects.filter(status=JobStatus.QUEUED)
        .order_by("created", "pk")
        .values_list("pk", flat=True)[: limit or None]
    ):
        run(job_id)
        done += 1
    return done
