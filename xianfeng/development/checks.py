"""The rules a step must satisfy before it is recorded, each refusal naming the field, the rule and its
article (RULES.md §2). Pure functions over the person's valid steps: the service, the import and the
step forms share them; the rules in force on the step's date apply (`ruleset.rules_on`).

Months are calendar months (`relativedelta`, 民法典 art. 202: a period counted in months or years ends
on the corresponding day of its last month, or on that month's last day when there is none): one year
as activist from 2024-02-29 ends on 2025-02-28, and the candidate decision is allowed on that day, not
the day before; probation from 2024-02-29 ends on 2025-02-28 in the same way.

Age is different (`age_reached`): 周岁 are reached on the birthday, and someone born on 29 February
reaches an age in a non-leap year on 1 March, the first day on which the full years have passed
(DEV-01). `relativedelta` alone would say 28 February, one day too early.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from xianfeng.development.ruleset import RuleVersion, rules_on
from xianfeng.development.steps import BY_CODE, Decision, Role, Step, allowed_statuses
from xianfeng.orgs.choices import OrgType
from xianfeng.people.choices import PARTY_MEMBER_STATUSES, PoliticalStatus
from xianfeng.people.rules import age_reached

Errors = dict[str, str]
DONE_DECISIONS = frozenset({Decision.DONE, Decision.PASSED, Decision.EXTENDED, Decision.CANCELLED})


@dataclass
class Proposed:
    """A step as entered, before it is saved (the form, the API and the import build one)."""

    code: str
    date: dt.date
    decision: str = Decision.DONE
    people: Sequence[tuple[Any, str]] = ()  # (Membership of the person named, role)
    should_attend: int | None = None
    present: int | None = None
    written_opinions: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None
    training_days: Any = None
    training_hours: int | None = None
    leaving_within_3_months: bool = False
    extension_months: int | None = None
    approving_org: Any = None
    delay_reason: str = ""
    conclusion: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def rights_restricted(person: Any, day: dt.date) -> bool:
    """Hook for the discipline module: True while the person is under 留党察看 without restored rights
    (DEV-09). No sanctions are recorded yet, so nobody is restricted."""
    return False


def done(steps: Sequence[Any], code: str) -> list[Any]:
    """The valid steps of `code` that count as done (not failed), oldest first."""
    return [s for s in steps if s.step == code and not s.voided and s.decision in DONE_DECISIONS]


def probation_end(membership: Any, steps: Sequence[Any]) -> dt.date | None:
    """One year from acceptance (DEV-17) plus an approved extension (DEV-18)."""
    if membership.admission_date is None:
        return None
    months = rules_on(membership.admission_date).probation_months
    months += sum(
        s.extension_months or 0 for s in done(steps, "conversion_meeting") if s.decision == Decision.EXTENDED
    )
    return membership.admission_date + relativedelta(months=months)


def _cite(rules: RuleVersion, rule: str) -> str:
    return rules.cite(rule)


def _order_errors(step: Step, p: Proposed, membership: Any, steps: Sequence[Any], today: dt.date) -> Errors:
    rules = rules_on(p.date)
    if p.date > today:
        return {"date": _("The date cannot be in the future.")}
    if membership.status not in allowed_statuses(step):
        return {
            "code": _("“%(step)s” is not a step for a person who is %(status)s (%(rule)s).")
            % {
                "step": step.label,
                "status": PoliticalStatus(membership.status).label,
                "rule": _cite(rules, step.rule),
            }
        }
    for code in step.requires:
        if not done(steps, code):
            before = BY_CODE[code]
            if any(s.step == code and not s.voided and s.decision == Decision.FAILED for s in steps):
                return {
                    "code": _("“%(before)s” was not passed (%(rule)s).")
                    % {"before": before.label, "rule": _cite(rules, before.rule)}
                }
            return {
                "code": _("Record “%(before)s” first (%(rule)s).")
                % {"before": before.label, "rule": _cite(rules, step.rule)}
            }
    latest = max((s.date for s in steps if not s.voided and s.step in step.requires), default=None)
    if latest is not None and p.date < latest:
        return {
            "date": _("The date is before the previous step (%(day)s) (%(rule)s).")
            % {"day": latest.isoformat(), "rule": _cite(rules, step.rule)}
        }
    if not step.repeatable and _already_done(step, steps):
        return {
            "code": _("“%(step)s” is already recorded; void it to correct it (%(rule)s).")
            % {"step": step.label, "rule": _cite(rules, step.rule)}
        }
    if step.decisions and p.decision not in step.decisions:
        return {"decision": _("Choose one of the decisions this step allows.")}
    return {}


def _already_done(step: Step, steps: Sequence[Any]) -> bool:
    previous = done(steps, step.code)
    if step.code == "conversion_meeting":  # after an extension the branch meets again
        return (bool(previous) and previous[-1].decision != Decision.EXTENDED) or _approval_pending(steps)
    if step.code == "conversion_approval":  # one approval per conversion meeting
        meetings = done(steps, "conversion_meeting")
        return bool(previous) and bool(meetings) and previous[-1].date >= meetings[-1].date
    return bool(previous)


def _approval_pending(steps: Sequence[Any]) -> bool:
    meetings, approvals = done(steps, "conversion_meeting"), done(steps, "conversion_approval")
    return bool(meetings) and (not approvals or approvals[-1].date < meetings[-1].date)


def _people_errors(step: Step, p: Proposed, membership: Any) -> Errors:
    rules = rules_on(p.date)
    if any(role != step.role for _m, role in p.people):
        return {
            "people": _("Only people in the role “%(role)s” are named on this step (%(rule)s).")
            % {"role": Role(step.role).label, "rule": _cite(rules, step.rule)}
        }
    named = [m for m, _role in p.people]
    low, high = step.people
    if step.code == "contacts":
        low, high = rules.contacts_min, rules.contacts_max
    if step.code == "sponsors":
        low = high = rules.sponsors
    if not low <= len(named) <= high:
        if low == high:
            message = _("Name exactly %(n)d people (%(rule)s).") % {"n": low, "rule": _cite(rules, step.rule)}
        else:
            message = _("Name %(low)d to %(high)d people (%(rule)s).") % {
                "low": low,
                "high": high,
                "rule": _cite(rules, step.rule),
            }
        return {"people": message}
    if len({m.person_id for m in named}) != len(named):
        return {"people": _("A person is named twice (%(rule)s).") % {"rule": _cite(rules, step.rule)}}
    for m in named:
        problem = _person_problem(step, m, membership, p.date, rules)
        if problem:
            return {"people": problem}
    return {}


def _person_problem(step: Step, m: Any, membership: Any, day: dt.date, rules: RuleVersion) -> str:
    name = m.person.name
    if m.person_id == membership.person_id:
        return _("%(name)s cannot be named on their own development (%(rule)s).") % {
            "name": name,
            "rule": _cite(rules, step.rule),
        }
    current = m.left_date is None or m.left_date > day
    if step.role in (Role.CONTACT, Role.SPONSOR):
        full = m.status == PoliticalStatus.FULL and m.conversion_date is not None and m.conversion_date <= day
        if not (current and full):
            return _("%(name)s is not a full member on %(day)s (%(rule)s).") % {
                "name": name,
                "day": day.isoformat(),
                "rule": _cite(rules, step.rule),
            }
        if step.role == Role.SPONSOR and rights_restricted(m.person, day):
            return _("%(name)s is under 留党察看 and has no voting rights (%(rule)s).") % {
                "name": name,
                "rule": _cite(rules, step.rule),
            }
    elif not (current and m.status in PARTY_MEMBER_STATUSES):
        return _("%(name)s is not a party member on %(day)s (%(rule)s).") % {
            "name": name,
            "day": day.isoformat(),
            "rule": _cite(rules, step.rule),
        }
    return ""


def vote_errors(p: Proposed, rules: RuleVersion, rule: str = "DEV-13") -> Errors:
    """The counts must agree with each other; the meeting must be quorate (strictly more than half of
    the voting members who should attend present)."""
    counts = {
        "should_attend": p.should_attend,
        "present": p.present,
        "votes_for": p.votes_for,
        "votes_against": p.votes_against,
        "abstentions": p.abstentions,
    }
    missing = {k: _("Enter the count.") for k, v in counts.items() if v is None}
    if missing:
        return missing
    negative = {
        k: _("A count cannot be negative.")
        for k, v in {**counts, "written_opinions": p.written_opinions}.items()
        if v is not None and v < 0
    }
    if negative:
        return negative
    should, present = p.should_attend or 0, p.present or 0
    written = p.written_opinions or 0
    votes = (p.votes_for or 0) + (p.votes_against or 0) + (p.abstentions or 0)
    if should < 1:
        return {"should_attend": _("At least one voting member should attend.")}
    if present > should:
        return {"present": _("More voting members present than should attend.")}
    if written > should - present:
        return {"written_opinions": _("More written opinions than absent voting members.")}
    if votes > present + written:
        return {"votes_for": _("More votes than voting members present plus written opinions.")}
    if present * 2 <= should:
        return {
            "present": _(
                "The meeting is not quorate: %(present)d of %(should)d voting members present (%(rule)s)."
            )
            % {"present": present, "should": should, "rule": _cite(rules, rule)}
        }
    return {}


def vote_passes(p: Proposed) -> bool:
    """DEV-13: votes for strictly more than half of the voting members who should attend."""
    return (p.votes_for or 0) * 2 > (p.should_attend or 0)


def _specific_errors(step: Step, p: Proposed, membership: Any, steps: Sequence[Any]) -> Errors:
    rules = rules_on(p.date)
    code = step.code
    if code == "application":
        birth = membership.person.birth_date
        earliest = age_reached(birth, rules.min_age) if birth else None
        if earliest and p.date < earliest:
            return {
                "date": _("The applicant is under 18 on this date: not before %(day)s (%(rule)s).")
                % {"day": earliest.isoformat(), "rule": _cite(rules, "DEV-01")}
            }
    elif code == "candidate":
        start = membership.activist_date
        earliest = start + relativedelta(months=rules.activist_min_months) if start else None
        if earliest and p.date < earliest:
            return {
                "date": _("At least one year as activist is required: not before %(day)s (%(rule)s).")
                % {"day": earliest.isoformat(), "rule": _cite(rules, "DEV-08")}
            }
    elif code == "political_review" and not p.conclusion.strip():
        return {
            "conclusion": _("The review needs a written conclusion (%(rule)s).")
            % {"rule": _cite(rules, "DEV-10")}
        }
    elif code == "training":
        return _training_errors(p, rules)
    elif code == "committee_check":
        if (
            not done(steps, "political_review")
            or done(steps, "political_review")[-1].decision != Decision.PASSED
        ):
            return {
                "code": _("The political review has not been passed (%(rule)s).")
                % {"rule": _cite(rules, "DEV-10")}
            }
        if p.leaving_within_3_months:
            return {
                "leaving_within_3_months": _(
                    "Someone leaving the unit within 3 months is not accepted (%(rule)s)."
                )
                % {"rule": _cite(rules, "DEV-12")}
            }
    elif code in ("acceptance_meeting", "conversion_meeting"):
        errors = vote_errors(p, rules, "DEV-13" if code == "acceptance_meeting" else "DEV-19")
        if errors:
            return errors
        if code == "conversion_meeting":
            return _conversion_errors(p, membership, steps, rules)
    elif code in ("approval", "conversion_approval"):
        return _approval_errors(code, p, membership, steps, rules)
    return {}


def _training_errors(p: Proposed, rules: RuleVersion) -> Errors:
    days, hours = p.training_days or 0, p.training_hours or 0
    if days >= rules.training_min_days or hours >= rules.training_min_hours:
        return {}
    return {
        "training_days": _("Training lasts at least %(days)d days or %(hours)d class hours (%(rule)s).")
        % {"days": rules.training_min_days, "hours": rules.training_min_hours, "rule": _cite(rules, "DEV-11")}
    }


def _conversion_errors(p: Proposed, membership: Any, steps: Sequence[Any], rules: RuleVersion) -> Errors:
    end = probation_end(membership, steps)
    if end is not None and p.date < end:
        return {
            "date": _(
                "Probation ends on %(day)s; the branch discusses conversion when it has ended (%(rule)s)."
            )
            % {"day": end.isoformat(), "rule": _cite(rules, "DEV-19")}
        }
    if p.decision == Decision.EXTENDED:
        extensions = [s for s in done(steps, "conversion_meeting") if s.decision == Decision.EXTENDED]
        if len(extensions) >= rules.extensions_max:
            return {
                "decision": _("Probation can be extended only once (%(rule)s).")
                % {"rule": _cite(rules, "DEV-18")}
            }
        months = p.extension_months or 0
        if not rules.extension_min_months <= months <= rules.extension_max_months:
            return {
                "extension_months": _("An extension is %(low)d to %(high)d months (%(rule)s).")
                % {
                    "low": rules.extension_min_months,
                    "high": rules.extension_max_months,
                    "rule": _cite(rules, "DEV-18"),
                }
            }
    return {}


def _approval_errors(
    code: str, p: Proposed, membership: Any, steps: Sequence[Any], rules: RuleVersion
) -> Errors:
    org = p.approving_org
    if org is None:
        return {"approving_org": _("Choose the approving Party committee.")}
    if org.org_type != OrgType.COMMITTEE or not membership.org.path.startswith(org.path):
        return {
            "approving_org": _(
                "Only a Party committee above the branch approves; a general branch may not (%(rule)s)."
            )
            % {"rule": _cite(rules, "DEV-15")}
        }
    meeting_code = "acceptance_meeting" if code == "approval" else "conversion_meeting"
    meeting = done(steps, meeting_code)[-1]
    limit = meeting.date + relativedelta(months=rules.approval_months)
    hard = meeting.date + relativedelta(months=rules.approval_max_months)
    rule = "DEV-15" if code == "approval" else "DEV-19"
    if code == "approval" and p.date > hard:
        return {
            "date": _("Approval comes at most 6 months after the branch meeting, by %(day)s (%(rule)s).")
            % {"day": hard.isoformat(), "rule": _cite(rules, rule)}
        }
    if p.date > limit and not p.delay_reason.strip():
        return {
            "delay_reason": _("Approval after %(day)s (3 months) needs the reason for the delay (%(rule)s).")
            % {"day": limit.isoformat(), "rule": _cite(rules, rule)}
        }
    return {}


def step_errors(p: Proposed, membership: Any, steps: Sequence[Any], today: dt.date) -> Errors:
    """Everything wrong with recording `p` for `membership` after its valid `steps` (oldest first)."""
    step = BY_CODE.get(p.code)
    if step is None:
        return {"code": _("Unknown step.")}
    errors = _order_errors(step, p, membership, steps, today)
    if errors:
        return errors
    if step.role:
        errors = _people_errors(step, p, membership)
        if errors:
            return errors
    elif p.people:
        return {
            "people": _("Nobody is named on this step (%(rule)s).")
            % {"rule": _cite(rules_on(p.date), step.rule)}
        }
    return _specific_errors(step, p, membership, steps)
