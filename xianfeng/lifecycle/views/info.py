"""Info set forms on a member's record: add, correct, remove an entry of a kind."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xianfeng.core.forms import XianfengForm
from xianfeng.lifecycle import services
from xianfeng.lifecycle.forms import info_form_class
from xianfeng.lifecycle.info import InfoKind, kind_of
from xianfeng.lifecycle.models import InfoEntry
from xianfeng.lifecycle.views._common import back_to_record, call, form_page, member_for, posted, record_for


def _kind(key: str) -> InfoKind:
    kind = kind_of(key)
    if kind is None:
        raise Http404
    return kind


def _entry(request: HttpRequest, kind: InfoKind, code: Any) -> InfoEntry:
    queryset = kind.model.objects.select_related("membership__person", "membership__org")
    entry: InfoEntry = record_for(request, queryset, code)
    return entry


@login_required
def info_add(request: HttpRequest, code: Any, kind: str) -> HttpResponse:
    info_kind = _kind(kind)
    membership = member_for(request, code)
    form: XianfengForm = info_form_class(info_kind.key)(posted(request))
    if form.is_bound and form.is_valid():
        done = call(
            form,
            lambda: services.info_add(
                actor=request.user, membership=membership, kind=info_kind.key, data=form.cleaned_data
            ),
        )
        if done is not None:
            return back_to_record(
                request, membership, _("%(kind)s: entry added.") % {"kind": info_kind.label()}
            )
    title = _("Add to “%(kind)s”") % {"kind": info_kind.label()}
    return form_page(request, form, title=title, submit=_("Add"), membership=membership)


@login_required
def info_edit(request: HttpRequest, kind: str, code: Any) -> HttpResponse:
    info_kind = _kind(kind)
    entry = _entry(request, info_kind, code)
    initial = {name: getattr(entry, name) for name in info_kind.fields}
    form: XianfengForm = info_form_class(info_kind.key)(posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        done = call(
            form, lambda: services.info_update(actor=request.user, entry=entry, data=form.cleaned_data)
        )
        if done is not None:
            return back_to_record(
                request, entry.membership, _("%(kind)s: entry saved.") % {"kind": info_kind.label()}
            )
    title = _("Correct an entry of “%(kind)s”") % {"kind": info_kind.label()}
    return form_page(request, form, title=title, submit=_("Save"), membership=entry.membership)


@login_required
@require_http_methods(["GET", "POST"])
def info_remove(request: HttpRequest, kind: str, code: Any) -> HttpResponse:
    info_kind = _kind(kind)
    entry = _entry(request, info_kind, code)
    form = XianfengForm(posted(request))
    if form.is_bound and form.is_valid():
        done = call(form, lambda: services.info_remove(actor=request.user, entry=entry) or True)
        if done:
            return back_to_record(
                request, entry.membership, _("%(kind)s: entry removed.") % {"kind": info_kind.label()}
            )
    title = _("Remove an entry of “%(kind)s”") % {"kind": info_kind.label()}
    summary = [(_("Entry"), str(entry))]
    return form_page(
        request,
        form,
        title=title,
        submit=_("Remove"),
        membership=entry.membership,
        summary=summary,
        danger=True,
        intro=_("The entry is removed from the record; the audit log keeps what it said."),
    )
