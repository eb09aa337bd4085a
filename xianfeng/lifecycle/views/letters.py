"""Transfer letter forms: issue a letter out, record its receipt or return, record a letter in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user
from xianfeng.lifecycle import services
from xianfeng.lifecycle.forms import (
    LetterInForm,
    LetterInNewMemberForm,
    LetterOutForm,
    LetterReturnForm,
    ReceiveForm,
)
from xianfeng.lifecycle.models import TransferLetter
from xianfeng.lifecycle.views._common import back_to_record, call, form_page, member_for, posted, record_for
from xianfeng.orgs.models import Org
from xianfeng.people.forms import changeable_orgs


def _summary(letter: TransferLetter) -> list[tuple[Any, Any]]:
    return [
        (_("Letter number"), letter.number),
        (_("Member"), letter.membership.person.name),
        (_("Receiving organization"), letter.counterpart_name),
        (_("Issue date"), letter.issue_date.isoformat()),
        (_("Valid until"), letter.valid_until.isoformat()),
    ]


@login_required
def letter_out(request: HttpRequest, code: Any) -> HttpResponse:
    membership = member_for(request, code)
    form = LetterOutForm(posted(request), user=request.user, membership=membership)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        letter = call(
            form,
            lambda: services.letter_issue(
                actor=request.user,
                membership=membership,
                number=d["number"],
                counterpart_name=d["counterpart_name"],
                counterpart_org=d["counterpart_org"],
                issue_date=d["issue_date"],
                valid_days=d["valid_days"],
                reason=d["reason"],
            ),
        )
        if letter is not None:
            return back_to_record(
                request,
                membership,
                _("Letter %(n)s issued; valid until %(d)s.") % {"n": letter.number, "d": letter.valid_until},
            )
    return form_page(
        request,
        form,
        title=_("Issue a transfer letter"),
        submit=_("Issue"),
        membership=membership,
        intro=_(
            "The branch stays responsible for the member until the letter is received (MEM-03). "
            "Record the receipt when the stub comes back: the membership then ends here."
        ),
    )


def _letter(request: HttpRequest, code: Any) -> TransferLetter:
    queryset = TransferLetter.objects.select_related("org", "membership__person", "membership__org")
    letter: TransferLetter = record_for(request, queryset, code)
    return letter


@login_required
def letter_receive(request: HttpRequest, code: Any) -> HttpResponse:
    letter = _letter(request, code)
    form = ReceiveForm(posted(request))
    if form.is_bound and form.is_valid():
        done = call(
            form,
            lambda: services.letter_receive(
                actor=request.user, letter=letter, received_date=form.cleaned_data["received_date"]
            ),
        )
        if done is not None:
            return back_to_record(request, letter.membership, _("The receipt was recorded."))
    return form_page(
        request,
        form,
        title=_("Record the receipt of a letter"),
        submit=_("Record the receipt"),
        membership=letter.membership,
        summary=_summary(letter),
        danger=True,
        intro=_(
            "The member leaves this organization on the day the letter was received (reason: transferred "
            "out), or moves to the receiving organization when it is in this system."
        ),
    )


@login_required
def letter_return(request: HttpRequest, code: Any) -> HttpResponse:
    letter = _letter(request, code)
    form = LetterReturnForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        done = call(
            form,
            lambda: services.letter_return(
                actor=request.user, letter=letter, returned_date=d["returned_date"], note=d["note"]
            ),
        )
        if done is not None:
            return back_to_record(request, letter.membership, _("The return of the letter was recorded."))
    return form_page(
        request,
        form,
        title=_("Record the return of a letter"),
        submit=_("Record the return"),
        membership=letter.membership,
        summary=_summary(letter),
        intro=_("The member stays in this organization; issue a new letter if the move goes ahead."),
    )


@login_required
def letter_in(request: HttpRequest, code: Any) -> HttpResponse:
    """The incoming letter of a member already recorded here."""
    membership = member_for(request, code)
    form = LetterInForm(posted(request))
    if form.is_bound and form.is_valid():
        done = call(
            form,
            lambda: services.letter_in_existing(
                actor=request.user, membership=membership, letter=form.letter()
            ),
        )
        if done is not None:
            return back_to_record(request, membership, _("The incoming letter was recorded."))
    return form_page(
        request, form, title=_("Record the incoming letter"), submit=_("Save"), membership=membership
    )


@login_required
def letter_in_new(request: HttpRequest) -> HttpResponse:
    """A member arriving from outside the system: the letter and the new member record together."""
    user = request.user
    org: Org | None = None
    raw = request.GET.get("org", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        org = get_for_user(Org.objects.all(), user, Action.CHANGE, pk=int(raw))
    elif not changeable_orgs(user).exists():
        raise PermissionDenied
    form = LetterInNewMemberForm(posted(request), user=user, org=org)
    if form.is_bound and form.is_valid():
        letter = call(
            form,
            lambda: services.letter_in_new_member(
                actor=user,
                org=form.cleaned_data["org"],
                letter=form.letter(),
                person_data=form.person_data(),
                membership_data=form.membership_data(),
            ),
        )
        if letter is not None:
            messages.success(
                request, _("%(name)s was received and recorded.") % {"name": letter.membership.person.name}
            )
            return redirect("people:detail", code=letter.membership.code)
    return form_page(
        request,
        form,
        title=_("Receive a member from outside the system"),
        submit=_("Receive and record"),
        cancel_url=reverse("lifecycle:letters") + (f"?org={org.pk}" if org else ""),
        intro=_(
            "Enter the letter of introduction and the member's data as on the letter and the member's "
            "file. A letter past its validity cannot be accepted (MEM-03)."
        ),
    )
