"""What the rules require of a step, said before the save, with the dates that apply to this person
("at least one year as activist: allowed from 2026-03-14 (DEV-08)"). The service checks the same
rules on save (checks.step_errors); this is the explanation, not the check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xianfeng.development.checks import done, probation_end
from xianfeng.development.ruleset import RuleVersion, rules_on
from xianfeng.development.steps import BY_CODE, Step


@dataclass(frozen=True)
class Requirement:
    text: str
    rule: str
    citation: str  # the article, given once per rule (the first line citing it)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def _last(steps: Sequence[Any], code: str) -> dt.date | None:
    found = done(steps, code)
    return found[-1].date if found else None


VOTE_RULE = gettext_noop(
    "Quorum: more than half of the voting members who should attend are present. Passed when the "
    "votes for are more than half of the voting members who should attend; written opinions of absent "
    "members count."
)


def _texts(step: Step, m: Any, steps: Sequence[Any], r: RuleVersion) -> list[tuple[str, str]]:
    """(text, rule) pairs for the step."""
    code = step.code
    people = {"low": step.people[0], "high": step.people[1]}
    months = relativedelta
    if code == "application":
        earliest = m.person.birth_date + months(years=r.min_age) if m.person.birth_date else None
        return [(_("At least 18 years old on the date: from %(day)s.") % {"day": _day(earliest)}, "DEV-01")]
    if code == "talk":
        due = m.application_date + months(months=r.talk_within_months) if m.application_date else None
        return [
            (_("Within one month of the application: by %(day)s.") % {"day": _day(due)}, "DEV-03"),
            (_("Name %(low)d to %(high)d party members who talked.") % people, "DEV-03"),
        ]
    if code == "activist":
        return [(_("Decided by the branch committee, then filed with the higher committee."), "DEV-04")]
    if code in ("activist_filed", "candidate_filed"):
        return [(_("Filed with the higher Party committee."), step.rule)]
    if code == "contacts":
        people = {"low": r.contacts_min, "high": r.contacts_max}
        return [(_("%(low)d to %(high)d full members as cultivation contacts.") % people, "DEV-05")]
    if code == "activist_review":
        last = _last(steps, "activist_review") or m.activist_date
        due = last + months(months=r.review_every_months) if last else None
        return [(_("A review every 6 months: next by %(day)s.") % {"day": _day(due)}, "DEV-06")]
    if code == "candidate":
        start = m.activist_date
        earliest = start + months(months=r.activist_min_months) if start else None
        return [
            (_("At least one year as activist: allowed from %(day)s.") % {"day": _day(earliest)}, "DEV-08")
        ]
    if code == "sponsors":
        return [
            (
                _(
                    "Two full members as sponsors; probationary members and members under 留党察看 cannot sponsor."
                ),
                "DEV-09",
            )
        ]
    if code == "political_review":
        return [(_("A written conclusion; nobody who has not passed the review is admitted."), "DEV-10")]
    if code == "training":
        values = {"days": r.training_min_days, "hours": r.training_min_hours}
        return [(_("At least %(days)d days or %(hours)d class hours.") % values, "DEV-11")]
    if code == "committee_check":
        return [
            (_("The political review has passed."), "DEV-10"),
            (_("Someone expected to leave the unit within 3 months is not accepted."), "DEV-12"),
        ]
    if code in ("pre_review", "volunteer_form"):
        return [(_("By the Party committee with approval power, before the branch meeting."), "DEV-12")]
    if code == "acceptance_meeting":
        return [(_(VOTE_RULE), "DEV-13"), (_("One candidate at a time, by secret ballot."), "DEV-13")]
    if code == "higher_talk":
        return [(_("%(low)d to %(high)d people talk for the higher committee.") % people, "DEV-14")]
    if code in ("approval", "conversion_approval"):
        return _approval(code, steps, r)
    if code == "approval_filed":
        return [(_("Filed with the organization department of the next higher committee."), "DEV-15")]
    if code in ("placement", "oath"):
        return [(_("Placed in a branch and a party group; the oath facing the Party flag."), "DEV-16")]
    end = probation_end(m, steps)
    if code == "probation_review":
        return [
            (
                _("Probation lasts one year from the acceptance meeting: it ends on %(day)s.")
                % {"day": _day(end)},
                "DEV-17",
            )
        ]
    if code == "conversion_application":
        return [(_("Handed in as probation ends (%(day)s).") % {"day": _day(end)}, "DEV-19")]
    if code == "conversion_meeting":
        values = {"low": r.extension_min_months, "high": r.extension_max_months}
        return [
            (_("Not before probation ends: allowed from %(day)s.") % {"day": _day(end)}, "DEV-19"),
            (_(VOTE_RULE), "DEV-13"),
            (_("Probation may be extended once, by %(low)d to %(high)d months.") % values, "DEV-18"),
        ]
    if code == "archived":
        return [(_("Party age counts from the conversion date."), "DEV-20")]
    return []


def _approval(code: str, steps: Sequence[Any], r: RuleVersion) -> list[tuple[str, str]]:
    meeting = _last(steps, "acceptance_meeting" if code == "approval" else "conversion_meeting")
    limit = meeting + relativedelta(months=r.approval_months) if meeting else None
    rule = "DEV-15" if code == "approval" else "DEV-19"
    out = [
        (_("Only a Party committee above the branch approves, not a general branch."), "DEV-15"),
        (
            _("Within 3 months of the branch meeting: by %(day)s; later, give the reason.")
            % {"day": _day(limit)},
            rule,
        ),
    ]
    if code == "approval":
        hard = meeting + relativedelta(months=r.approval_max_months) if meeting else None
        out.append((_("Never more than 6 months after the meeting: by %(day)s.") % {"day": _day(hard)}, rule))
    return out


def _before(step: Step, steps: Sequence[Any]) -> list[tuple[str, str]]:
    if not step.requires:
        return []
    parts = [f"{BY_CODE[c].label} ({_day(_last(steps, c))})" for c in step.requires]
    return [(_("Comes after: %(steps)s.") % {"steps": "; ".join(parts)}, "")]


def requirements(step: Step, membership: Any, steps: Sequence[Any], today: dt.date) -> list[Requirement]:
    """The rules of `step` for this person, as in force on `today`, each with its citation."""
    rules = rules_on(today)
    pairs = (*_before(step, steps), *_texts(step, membership, steps, rules))
    out, cited = [], set()
    for text, rule in pairs:
        out.append(Requirement(text, rule, rules.cite(rule) if rule and rule not in cited else ""))
        cited.add(rule)
    return out
