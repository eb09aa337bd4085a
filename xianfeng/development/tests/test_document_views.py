"""Downloading the development documents: access, audit, and the right people on each notice."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from xianfeng.core.models import AuditEvent
from xianfeng.development.tests.builders import walk

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    document = Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def candidate(world):
    return walk(world, until="candidate_filed")  # the candidate decision is recorded


@pytest.fixture
def awaiting_meeting(world):
    return walk(world, until="acceptance_meeting")  # pre-review passed, form filled in


def test_candidates_notice_lists_the_candidates_of_the_subtree(client, world, candidate, awaiting_meeting):
    client.force_login(world.alice)
    response = client.get(reverse("development:publicity"), {"org": world.branch_a.pk, "kind": "candidate"})
    assert response.status_code == 200
    text = text_of(response)
    assert candidate.person.person.name in text and awaiting_meeting.person.person.name in text
    assert AuditEvent.objects.filter(action="export.development_document").count() == 1


def test_acceptance_notice_lists_only_those_past_the_pre_review(client, world, candidate, awaiting_meeting):
    client.force_login(world.alice)
    response = client.get(reverse("development:publicity"), {"org": world.branch_a.pk, "kind": "acceptance"})
    text = text_of(response)
    assert awaiting_meeting.person.person.name in text
    assert candidate.person.person.name not in text


def test_nobody_at_the_stage_is_a_message_not_a_500(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("development:publicity"), {"org": world.branch_a.pk, "kind": "acceptance"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="export.development_document").exists()


def test_checklist_and_conversion_notice(client, world):
    probationer = walk(world, until="conversion_application")
    client.force_login(world.alice)
    response = client.get(reverse("development:checklist", args=[probationer.person.code]))
    assert response.status_code == 200 and "入党志愿书" in text_of(response)
    response = client.get(reverse("development:conversion_notice", args=[probationer.person.code]))
    assert response.status_code == 200 and probationer.person.person.name in text_of(response)


def test_conversion_notice_only_for_probationary_members(client, world, candidate):
    client.force_login(world.alice)
    response = client.get(reverse("development:conversion_notice", args=[candidate.person.code]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("user", "status"), [("charlie", 404), ("bob", 403), ("dang", 403), ("alice", 200), ("boss", 200)]
)
def test_access_matrix(client, world, candidate, user, status):
    client.force_login(getattr(world, user))
    response = client.get(reverse("development:checklist", args=[candidate.person.code]))
    assert response.status_code == status
    response = client.get(reverse("development:publicity"), {"org": world.branch_a.pk, "kind": "candidate"})
    assert response.status_code == status


def test_anonymous_goes_to_login(client, world, candidate):
    response = client.get(reverse("development:checklist", args=[candidate.person.code]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
