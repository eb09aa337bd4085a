"""Forms of the development pages. A step form asks only for what its step needs (steps.Step); the
rules are checked by the service (checks.step_errors), whose refusals land on the fields here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.core.forms import XianfengForm, date_input
from xianfeng.core.roles import Action
from xianfeng.development.checks import Proposed, done
from xianfeng.development.steps import STEPS, Decision, Role, Step, allowed_statuses
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES, PoliticalStatus
from xianfeng.people.models import Membership

MAX_PEOPLE_CHOICES = 500
VOTE_FIELDS = ("should_attend", "present", "written_opinions", "votes_for", "votes_against", "abstentions")
VOTE_LABELS = {
    "should_attend": _("Voting members who should attend"),
    "present": _("Voting members present"),
    "written_opinions": _("Written opinions of absent members"),
    "votes_for": _("Votes for"),
    "votes_against": _("Votes against"),
    "abstentions": _("Abstentions"),
}


def offered_steps(membership: Membership, steps: Sequence[Any]) -> list[Step]:
    """Steps that may be recorded now: the person's status fits, what comes before is done, and the
    step is not done yet (repeatable steps always; a conversion meeting again after an approved
    extension; a conversion approval once per conversion meeting)."""
    out = []
    for step in STEPS:
        if membership.status not in allowed_statuses(step):
            continue
        if any(not done(steps, code) for code in step.requires):
            continue
        previous = done(steps, step.code)
        meetings, approvals = done(steps, "conversion_meeting"), done(steps, "conversion_approval")
        if step.code == "conversion_meeting" and previous:
            again = previous[-1].decision == Decision.EXTENDED
            if not (again and approvals and approvals[-1].date >= previous[-1].date):
                continue
        elif step.code == "conversion_approval" and previous:
            if not meetings or previous[-1].date >= meetings[-1].date:
                continue
        elif previous and not step.repeatable:
            continue
        out.append(step)
    return out


def committees_above(membership: Membership) -> Any:
    """Party committees above the person's org, nearest first (only they approve, DEV-15)."""
    ancestors = [a.pk for a in membership.org.get_ancestors()]
    return Org.objects.filter(pk__in=ancestors, org_type=OrgType.COMMITTEE).order_by("-depth")


def people_pool(user: Any, membership: Membership, step: Step) -> list[Membership]:
    """Current party members the user sees who may be named on the step: full members only for
    contacts and sponsors; for the higher committee's talk, members under the nearest committee."""
    base = membership.org
    if step.role == Role.HIGHER_TALKER:
        base = committees_above(membership).first() or base
    qs = (
        Membership.objects.restrict(user, Action.VIEW)
        .in_subtree(base)
        .current()
        .exclude(pk=membership.pk)
        .select_related("person", "org")
        .order_by("person__name", "pk")
    )
    if step.role in (Role.CONTACT, Role.SPONSOR):
        qs = qs.filter(status=PoliticalStatus.FULL, conversion_date__isnull=False)
    else:
        qs = qs.filter(status__in=PARTY_MEMBER_STATUSES)
    return list(qs[:MAX_PEOPLE_CHOICES])


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, required=False)


def _text(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(XianfengForm):
    """One step as the branch records it. Rule checks are the service's; this form only parses."""

    error_field_map = {"people": "person_1"}

    date = forms.DateField(label=_("Date"), widget=date_input())

    def __init__(self, *args: Any, step: Step, membership: Membership, user: Any, **kwargs: Any) -> None:
        self.step, self.membership = step, membership
        self.pool: dict[str, Membership] = {}
        super().__init__(*args, **kwargs)
        f = self.fields
        if len(step.decisions) > 1 and step.code != "acceptance_meeting":  # acceptance follows the vote
            allowed = [d for d in step.decisions if not (step.votes and d == Decision.FAILED)]
            label = _("Resolution") if step.votes else _("Decision")
            f["decision"] = forms.ChoiceField(label=label, choices=[(d, Decision(d).label) for d in allowed])
        if step.role:
            self._people_fields(user)
        if step.votes:
            for name in VOTE_FIELDS:
                f[name] = _count(VOTE_LABELS[name])
            f["should_attend"].help_text = _(
                "Full members with voting rights; probationary members have no vote."
            )
        if "training_days" in step.data:
            f["training_days"] = forms.DecimalField(
                label=_("Training days"), max_digits=4, decimal_places=1, min_value=0, required=False
            )
            f["training_hours"] = _count(_("Training class hours"))
        if "conclusion" in step.data:
            f["conclusion"] = _text(_("Conclusion"))
        if "leaving_within_3_months" in step.data:
            f["leaving_within_3_months"] = forms.BooleanField(
                label=_("Expected to leave the unit within 3 months"), required=False
            )
        if "extension_months" in step.data:
            f["extension_months"] = _count(_("Extension (months)"))
            f["extension_months"].help_text = _("Only when probation is extended.")
        if "approving_org" in step.data:
            committees = committees_above(membership)
            f["approving_org"] = forms.ModelChoiceField(
                label=_("Approving Party committee"),
                queryset=committees,
                required=False,
                initial=committees.first(),
            )
            f["delay_reason"] = _text(_("Reason for approval after 3 months"))
            f["delay_reason"].help_text = _("Only when approval comes more than 3 months after the meeting.")
        f["note"] = _text(_("Note"))
        self._restyle()

    def _restyle(self) -> None:
        """Fields added after the base class styled the first ones get the same classes."""
        for field in self.fields.values():
            widget = field.widget
            if "class" in widget.attrs:
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"

    def _people_fields(self, user: Any) -> None:
        high = self.step.people[1]
        self.pool = {str(m.code): m for m in people_pool(user, self.membership, self.step)}
        choices = [("", "—")] + [(code, f"{m.person.name} · {m.org.name}") for code, m in self.pool.items()]
        role = Role(self.step.role).label
        for i in range(1, high + 1):
            label = role if high == 1 else _("%(role)s %(n)d") % {"role": role, "n": i}
            self.fields[f"person_{i}"] = forms.ChoiceField(label=label, choices=choices, required=False)

    def named(self) -> list[tuple[Membership, str]]:
        data = self.cleaned_data
        codes = [data[name] for name in self.fields if name.startswith("person_") and data.get(name)]
        return [(self.pool[code], self.step.role) for code in codes]

    def proposed(self) -> Proposed:
        d = self.cleaned_data
        p = Proposed(
            code=self.step.code, date=d["date"], decision=d.get("decision") or self.step.decisions[0]
        )
        p.people = self.named()
        for name in (*VOTE_FIELDS, "training_days", "training_hours", "extension_months", "approving_org"):
            if name in d:
                setattr(p, name, d[name])
        p.leaving_within_3_months = bool(d.get("leaving_within_3_months"))
        p.conclusion = d.get("conclusion", "")
        p.delay_reason = d.get("delay_reason", "")
        return p


class VoidForm(XianfengForm):
    reason = forms.CharField(label=_("Reason for voiding"), widget=forms.Textarea(attrs={"rows": 2}))


class ThoughtReportForm(XianfengForm):
    """A written thought report handed in (MISC-05, local practice)."""

    received_on = forms.DateField(label=_("Received on"), widget=date_input())
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(XianfengForm):
    """The year's quota of one org below (DEV-21)."""

    org = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quota = forms.IntegerField(label=_("New probationary members planned"))
    note = _text(_("Note"))

    def __init__(self, *args: Any, orgs: Sequence[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.orgs = {o.pk: o for o in orgs}
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]  # type: ignore[attr-defined]
