"""The development pages as users meet them: the access matrix, each step form refusing bad input on
the field that is wrong (and writing nothing), recording and voiding, the board and the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from xianfeng.core.models import AuditEvent
from xianfeng.development.models import DevelopmentPlan, DevelopmentStep, StepPerson
from xianfeng.development.tests.builders import walk
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def walker(world):
    """An applicant of branch A with the application and the talk recorded (next: activist)."""
    return walk(world, until="activist")


def person_url(name: str, walker: Any, *extra: str) -> str:
    return reverse(f"development:{name}", args=[walker.person.code, *extra])


def reads(world: Any, walker: Any) -> list[str]:
    return [
        reverse("development:board") + f"?org={world.branch_a.pk}",
        reverse("development:plan") + f"?org={world.branch_a.pk}",
        person_url("person", walker),
    ]


def writes(world: Any, walker: Any) -> list[tuple[str, dict[str, Any]]]:
    latest = walker.steps()[-1]
    return [
        (person_url("record", walker, "activist"), {"date": "2021-05-01"}),
        (person_url("void", walker), {"step": str(latest.code), "reason": "wrong"}),
        (
            reverse("development:plan_set"),
            {"page": world.branch_a.pk, "org": world.branch_a.pk, "year": 2026, "quota": 1},
        ),
    ]


# --- Access matrix ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world, walker):
    login = reverse("login")
    for url in [*reads(world, walker), person_url("record", walker, "activist")]:
        response = client.get(url)
        assert response.status_code == 302 and login in response["Location"], url
    for url, data in writes(world, walker):
        response = client.post(url, data)
        assert response.status_code == 302 and login in response["Location"], url


def test_outsider_in_the_sibling_branch_gets_404(client, world, walker):
    client.force_login(world.charlie)
    for url in [*reads(world, walker), person_url("record", walker, "activist")]:
        assert client.get(url).status_code == 404, url
    for url, data in writes(world, walker):
        assert client.post(url, data).status_code == 404, url
    assert not DevelopmentPlan.objects.exists()


def test_member_without_a_role_is_refused(client, world, walker):
    client.force_login(world.dang)
    for url in [*reads(world, walker), person_url("record", walker, "activist")]:
        assert client.get(url).status_code == 403, url
    for url, data in writes(world, walker):
        assert client.post(url, data).status_code == 403, url


def test_viewer_reads_but_cannot_write(client, world, walker):
    client.force_login(world.bob)
    before = DevelopmentStep.objects.count()
    for url in reads(world, walker):
        assert client.get(url).status_code == 200, url
    assert client.get(person_url("record", walker, "activist")).status_code == 403
    for url, data in writes(world, walker):
        assert client.post(url, data).status_code == 403, url
    assert DevelopmentStep.objects.count() == before and not DevelopmentPlan.objects.exists()
    page = client.get(person_url("person", walker)).content.decode()
    assert "xf-offered" not in page and "xf-void" not in page  # no write controls for a viewer


@pytest.mark.parametrize("user", ["alice", "boss"])
def test_branch_and_committee_admins_read_and_record(client, world, walker, user):
    client.force_login(getattr(world, user))
    for url in reads(world, walker):
        assert client.get(url).status_code == 200, url
    assert client.get(person_url("record", walker, "activist")).status_code == 200
    response = client.post(person_url("record", walker, "activist"), {"date": "2021-05-01"})
    assert response.status_code == 302 and response["Location"] == person_url("person", walker)
    assert walker.refresh().status == PoliticalStatus.ACTIVIST


def test_bad_codes_are_404(client, world, walker):
    client.force_login(world.alice)
    assert client.get(reverse("development:board"), {"org": "x"}).status_code == 404
    assert client.get(person_url("record", walker, "no_such_step")).status_code == 404
    assert client.post(person_url("void", walker), {"step": "nope", "reason": "x"}).status_code == 404


# --- Step forms: bad input lands on the field and writes nothing -------------------------------------

BAD_INPUT = [
    # (walk until, step, posted data, field in error, rule named on it)
    ("application", "application", {"date": "2099-01-01"}, "date", None),
    ("talk", "talk", {"date": "2021-03-20"}, "person_1", "DEV-03"),
    ("contacts", "contacts", {"date": "2021-04-20"}, "person_1", "DEV-05"),
    ("candidate", "candidate", {"date": "2022-04-09"}, "date", "DEV-08"),
    ("sponsors", "sponsors", {"date": "2022-04-20", "person_1": "h0"}, "person_1", "DEV-09"),
    (
        "political_review",
        "political_review",
        {"date": "2022-04-25", "decision": "passed"},
        "conclusion",
        "DEV-10",
    ),
    ("training", "training", {"date": "2022-04-30", "training_days": "2"}, "training_days", "DEV-11"),
    (
        "committee_check",
        "committee_check",
        {"date": "2022-05-05", "leaving_within_3_months": "on"},
        "leaving_within_3_months",
        "DEV-12",
    ),
    (
        "acceptance_meeting",
        "acceptance_meeting",
        {
            "date": "2022-05-20",
            "should_attend": 10,
            "present": 4,
            "votes_for": 4,
            "votes_against": 0,
            "abstentions": 0,
        },
        "present",
        "DEV-13",
    ),
    (
        "approval",
        "approval",
        {"date": "2022-09-01", "decision": "passed", "approving_org": "committee"},
        "delay_reason",
        "DEV-15",
    ),
    (
        "conversion_meeting",
        "conversion_meeting",
        {
            "date": "2023-05-15",
            "decision": "passed",
            "should_attend": 10,
            "present": 8,
            "votes_for": 7,
            "votes_against": 1,
            "abstentions": 0,
        },
        "date",
        "DEV-19",
    ),
    (
        "conversion_meeting",
        "conversion_meeting",
        {
            "date": "2023-05-20",
            "decision": "extended",
            "extension_months": 3,
            "should_attend": 10,
            "present": 8,
            "votes_for": 7,
            "votes_against": 1,
            "abstentions": 0,
        },
        "extension_months",
        "DEV-18",
    ),
]


@pytest.mark.parametrize(("until", "code", "data", "field", "rule"), BAD_INPUT)
def test_a_step_form_refuses_bad_input_on_the_field(client, world, until, code, data, field, rule):
    w = walk(world, until=until, applied=D(2021, 3, 10), activist=D(2021, 4, 10), accepted=D(2022, 5, 20))
    posted = dict(data)
    if code == "contacts":  # a full member, but only since 2025: not on the step's date
        late = make_member(world.branch_a, admission_date=D(2024, 1, 1))
        posted["person_1"] = str(late.code)
    if posted.get("person_1") == "h0":
        posted["person_1"] = str(w.helpers[0].code)
    if posted.get("approving_org") == "committee":
        posted["approving_org"] = world.committee.pk
    client.force_login(world.alice)
    counts = (DevelopmentStep.objects.count(), StepPerson.objects.count(), AuditEvent.objects.count())
    response = client.post(person_url("record", w, code), posted)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    if rule:
        assert rule in " ".join(errors[field])
    assert f'id="id_{field}_errors"' in response.content.decode()  # shown under the field
    assert (DevelopmentStep.objects.count(), StepPerson.objects.count(), AuditEvent.objects.count()) == counts


def test_the_approving_committee_list_holds_committees_only(client, world):
    w = walk(world, until="approval")
    client.force_login(world.alice)
    form = client.get(person_url("record", w, "approval")).context["form"]
    assert list(form.fields["approving_org"].queryset) == [world.committee]
    response = client.post(
        person_url("record", w, "approval"),
        {
            "date": w.dates["approval"].isoformat(),
            "decision": "passed",
            "approving_org": world.general_branch.pk,
        },
    )
    assert response.status_code == 400 and "approving_org" in response.context["form"].errors


def test_people_pickers_offer_full_members_only_for_sponsors(client, world):
    w = walk(world, until="sponsors")
    probationer = make_member(
        world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=D(2025, 1, 1)
    )
    outsider = world.member_b
    client.force_login(world.alice)
    choices = dict(client.get(person_url("record", w, "sponsors")).context["form"].fields["person_1"].choices)
    assert str(w.helpers[0].code) in choices
    assert str(probationer.code) not in choices and str(outsider.code) not in choices
    assert str(w.person.code) not in choices
    assert (
        dict(client.get(person_url("record", w, "sponsors")).context["form"].fields["person_2"].choices)
        == choices
    )
    talker = walk(world, until="talk")
    talk = dict(client.get(person_url("record", talker, "talk")).context["form"].fields["person_1"].choices)
    assert str(probationer.code) in talk  # any party member may talk with an applicant


def test_the_record_page_says_what_the_rules_require(client, world):
    w = walk(world, until="candidate", activist=D(2024, 3, 14))
    client.force_login(world.alice)
    page = client.get(person_url("record", w, "candidate")).content.decode()
    assert "allowed from 2025-03-14" in page and "DEV-08" in page
    w2 = walk(world, until="acceptance_meeting")
    page = client.get(person_url("record", w2, "acceptance_meeting")).content.decode()
    assert "Quorum" in page and "DEV-13" in page and 'name="should_attend"' in page
    assert 'name="decision"' not in page  # the resolution follows the vote


def test_recording_names_the_people_and_returns_to_the_timeline(client, world):
    w = walk(world, until="talk")
    client.force_login(world.alice)
    response = client.post(
        person_url("record", w, "talk"),
        {"date": w.dates["talk"].isoformat(), "person_1": str(w.helpers[0].code), "note": "谈话顺利"},
    )
    assert response.status_code == 302
    step = DevelopmentStep.objects.get(membership=w.person, step="talk")
    assert step.note == "谈话顺利" and [p.person_id for p in step.people.all()] == [w.helpers[0].person_id]
    page = client.get(person_url("person", w)).content.decode()
    assert w.helpers[0].person.name in page and "谈话顺利" in page


def test_only_steps_allowed_now_are_offered(client, world):
    w = walk(world, until="application")
    client.force_login(world.alice)
    assert [s.code for s in client.get(person_url("person", w)).context["offered"]] == ["application"]
    w.through("contacts")
    offered = [s.code for s in client.get(person_url("person", w)).context["offered"]]
    assert offered == ["activist_review"]


# --- Voiding ----------------------------------------------------------------------------------------


def test_void_the_latest_step_needs_a_reason_and_stays_struck_through(client, world):
    w = walk(world, until="contacts")
    latest = w.steps()[-1]
    assert latest.step == "activist_filed"
    client.force_login(world.alice)
    response = client.post(person_url("void", w), {"step": str(latest.code), "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["void_form"].errors
    latest.refresh_from_db()
    assert not latest.voided
    response = client.post(person_url("void", w), {"step": str(latest.code), "reason": "日期录错"})
    assert response.status_code == 302
    latest.refresh_from_db()
    assert latest.voided and latest.void_reason == "日期录错"
    page = client.get(person_url("person", w)).content.decode()
    assert "<del>" in page and "日期录错" in page


def test_a_status_step_cannot_be_voided_here(client, world):
    w = walk(world, until="activist_filed")  # latest: the activist decision, which moved the status
    client.force_login(world.alice)
    page = client.get(person_url("person", w))
    assert page.context["voidable"] is False
    response = client.post(person_url("void", w), {"step": str(w.steps()[-1].code), "reason": "x"})
    assert response.status_code == 400 and response.context["void_form"].non_field_errors()
    assert not DevelopmentStep.objects.filter(voided=True).exists()


# --- Board and plan ---------------------------------------------------------------------------------


def test_board_shows_each_person_in_their_stage_with_deadlines(client, world, settings):
    settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 0  # the chart's steps only (reports: test_thought_reports)
    applicant = walk(world, until="talk", applied=D(2021, 3, 10))  # the talk is years overdue
    candidate = walk(world, until="committee_check")
    client.force_login(world.alice)
    response = client.get(reverse("development:board"), {"org": world.general_branch.pk})
    assert response.status_code == 404  # alice sees branch A only
    response = client.get(reverse("development:board"), {"org": world.branch_a.pk})
    columns = {c.stage: [p.membership for p in c.people] for c in response.context["board"].columns}
    assert columns[1] == [applicant.person] and columns[4] == [candidate.person]
    page = response.content.decode()
    assert "Overdue by" in page and "text-bg-danger" in page
    only = client.get(reverse("development:board"), {"org": world.branch_a.pk, "overdue": "1"})
    shown = [p.membership for c in only.context["board"].columns for p in c.people]
    assert shown == [applicant.person]


def test_plan_quota_set_by_the_parent_admins(client, world):
    w = walk(world, until="approval_filed", accepted=D(2022, 5, 20))
    client.force_login(world.boss)
    url = reverse("development:plan_set")
    response = client.post(
        url, {"page": world.general_branch.pk, "org": world.branch_a.pk, "year": 2022, "quota": -1}
    )
    assert response.status_code == 400 and "quota" in response.context["form"].errors
    assert not DevelopmentPlan.objects.exists()
    response = client.post(
        url, {"page": world.general_branch.pk, "org": world.branch_a.pk, "year": 2022, "quota": 3}
    )
    assert response.status_code == 302
    page = client.get(reverse("development:plan"), {"org": world.general_branch.pk, "year": 2022})
    row = next(r for r in page.context["table"].rows if r.org == world.branch_a)
    assert (row.quota, row.accepted, row.percent) == (3, 1, 33)
    assert w.person.org == world.branch_a
    client.force_login(world.alice)  # a branch admin cannot set the branch's own quota
    response = client.post(
        url, {"page": world.branch_a.pk, "org": world.branch_a.pk, "year": 2022, "quota": 9}
    )
    assert response.status_code == 403
    assert DevelopmentPlan.objects.get().quota == 3
