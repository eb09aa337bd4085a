"""Time away (mobile members) forms: record the departure, log a contact, record the return."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from xianfeng.lifecycle import rules, services
from xianfeng.lifecycle.forms import ContactForm, MobileReturnForm, MobileStartForm, MobileUpdateForm
from xianfeng.lifecycle.models import MobileRecord
from xianfeng.lifecycle.views._common import back_to_record, call, form_page, member_for, posted, record_for


@login_required
def mobile_start(request: HttpRequest, code: Any) -> HttpResponse:
    membership = member_for(request, code)
    form = MobileStartForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        done = call(form, lambda: services.mobile_start(actor=request.user, membership=membership, **d))
        if done is not None:
            return back_to_record(request, membership, _("The time away was recorded."))
    return form_page(
        request,
        form,
        title=_("Record time away"),
        submit=_("Save"),
        membership=membership,
        intro=_(
            "A member away for %(n)d months or more without transferring the record is a mobile member and "
            "must be kept in regular contact; members abroad are contacted at least every %(c)d months "
            "(MEM-04, MEM-05)."
        )
        % {"n": rules.MOBILE_MONTHS, "c": rules.CONTACT_MONTHS},
    )


def _record(request: HttpRequest, code: Any) -> MobileRecord:
    queryset = MobileRecord.objects.select_related("membership__person", "membership__org")
    record: MobileRecord = record_for(request, queryset, code)
    return record


def _summary(record: MobileRecord) -> list[tuple[Any, Any]]:
    return [
        (_("Member"), record.membership.person.name),
        (_("Place"), record.place),
        (_("Away since"), record.start_date.isoformat()),
    ]


@login_required
def mobile_update(request: HttpRequest, code: Any) -> HttpResponse:
    record = _record(request, code)
    # The phone is encrypted and shown masked: it is not put in the form in clear (an empty field
    # keeps the current number).
    fields = ("start_date", "place", "reason", "contact_person", "expected_return", "note")
    form = MobileUpdateForm(posted(request), initial={name: getattr(record, name) for name in fields})
    if record.contact_phone:
        form.fields["contact_phone"].help_text = _("Now %(masked)s; leave empty to keep it.") % {
            "masked": record.contact_phone_masked
        }
    if form.is_bound and form.is_valid():
        d = {**form.cleaned_data, "contact_phone": form.cleaned_data["contact_phone"] or record.contact_phone}
        done = call(form, lambda: services.mobile_update(actor=request.user, record=record, **d))
        if done is not None:
            return back_to_record(request, record.membership, _("The time away was updated."))
    return form_page(
        request,
        form,
        title=_("Update the time away"),
        submit=_("Save"),
        membership=record.membership,
        summary=_summary(record),
    )


@login_required
def mobile_contact(request: HttpRequest, code: Any) -> HttpResponse:
    record = _record(request, code)
    form = ContactForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        done = call(form, lambda: services.mobile_contact_add(actor=request.user, record=record, **d))
        if done is not None:
            return back_to_record(request, record.membership, _("The contact was logged."))
    return form_page(
        request,
        form,
        title=_("Log a contact"),
        submit=_("Save"),
        membership=record.membership,
        summary=_summary(record),
    )


@login_required
def mobile_return(request: HttpRequest, code: Any) -> HttpResponse:
    record = _record(request, code)
    form = MobileReturnForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        done = call(
            form,
            lambda: services.mobile_return(
                actor=request.user, record=record, return_date=d["return_date"], note=d["note"]
            ),
        )
        if done is not None:
            return back_to_record(request, record.membership, _("The return was recorded."))
    return form_page(
        request,
        form,
        title=_("Record the return"),
        submit=_("Save"),
        membership=record.membership,
        summary=_summary(record),
    )
