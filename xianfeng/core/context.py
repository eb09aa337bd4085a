"""Who and where a write comes from: one request id per request or job, carried in a ContextVar.

Services read it when they write audit rows, so commands and jobs are logged like requests are
(NetBox's request-bound signals skip them; see ANCHORS.md § 8.4).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    ip: str | None = None
    source: str = "system"  # "web", "api", "command", "job", "system"


_current: ContextVar[RequestContext | None] = ContextVar("xianfeng_request_context", default=None)


def current_context() -> RequestContext:
    ctx = _current.get()
    return ctx if ctx is not None else RequestContext()


@contextmanager
def request_context(*, ip: str | None = None, source: str = "system") -> Iterator[RequestContext]:
    ctx = RequestContext(ip=ip, source=source)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
