"""A person's whole development, application to conversion, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xianfeng.development import services
from xianfeng.development.checks import Proposed
from xianfeng.development.models import DevelopmentStep
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db

D = dt.date


def record(world, membership, code, day, **kw):
    return services.step_record(
        actor=world.alice, membership=membership, proposed=Proposed(code=code, date=day, **kw)
    )


def votes(should=10, present=8, yes=7):
    return {
        "should_attend": should,
        "present": present,
        "votes_for": yes,
        "votes_against": present - yes,
        "abstentions": 0,
    }


def test_application_to_conversion(world):
    full = [make_member(world.branch_a, admission_date=D(2015, 1, 1)) for _ in range(3)]
    person = make_member(
        world.branch_a,
        status=PoliticalStatus.APPLICANT,
        birth_date=D(2000, 1, 1),
        admission_date=D(2022, 3, 1),
    )
    person.refresh_from_db()
    applied = person.application_date
    record(world, person, "application", applied)
    record(world, person, "talk", applied + dt.timedelta(days=20), people=[(full[0], "talker")])
    record(world, person, "activist", D(2021, 1, 10))
    person.refresh_from_db()
    assert person.status == PoliticalStatus.ACTIVIST and person.activist_date == D(2021, 1, 10)
    record(world, person, "activist_filed", D(2021, 1, 20))
    record(world, person, "contacts", D(2021, 1, 20), people=[(full[0], "contact"), (full[1], "contact")])
    record(world, person, "activist_review", D(2021, 7, 10))
    with pytest.raises(ValidationError) as refused:
        record(world, person, "candidate", D(2022, 1, 9))
    assert "DEV-08" in str(refused.value)
    record(world, person, "candidate", D(2022, 1, 10))
    record(world, person, "candidate_filed", D(2022, 1, 15))
    record(world, person, "sponsors", D(2022, 1, 15), people=[(full[0], "sponsor"), (full[2], "sponsor")])
    record(world, person, "political_review", D(2022, 2, 1), decision="passed", conclusion="合格")
    record(world, person, "training", D(2022, 2, 10), training_days=3)
    record(world, person, "committee_check", D(2022, 2, 15))
    record(world, person, "pre_review", D(2022, 2, 20), decision="passed")
    record(world, person, "volunteer_form", D(2022, 2, 25))
    record(world, person, "acceptance_meeting", D(2022, 3, 1), **votes())
    record(world, person, "higher_talk", D(2022, 3, 10), people=[(full[1], "higher_talker")])
    with pytest.raises(ValidationError) as refused:
        record(
            world, person, "approval", D(2022, 3, 20), decision="passed", approving_org=world.general_branch
        )
    assert "DEV-15" in str(refused.value)
    record(world, person, "approval", D(2022, 3, 20), decision="passed", approving_org=world.committee)
    person.refresh_from_db()
    assert person.status == PoliticalStatus.PROBATIONARY and person.admission_date == D(2022, 3, 1)
    record(world, person, "conversion_application", D(2023, 2, 20))
    with pytest.raises(ValidationError):
        record(world, person, "conversion_meeting", D(2023, 2, 28), decision="passed", **votes())
    record(world, person, "conversion_meeting", D(2023, 3, 1), decision="passed", **votes())
    record(
        world, person, "conversion_approval", D(2023, 3, 15), decision="passed", approving_org=world.committee
    )
    person.refresh_from_db()
    assert person.status == PoliticalStatus.FULL and person.conversion_date == D(2023, 3, 1)
    assert DevelopmentStep.objects.filter(membership=person).count() == 20
