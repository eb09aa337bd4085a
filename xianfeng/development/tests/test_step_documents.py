"""Documents kept with a step: the access matrix of upload, download and removal, the file checks
(nothing written on a refusal), and the audit trail."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xianfeng.core.models import AuditEvent
from xianfeng.development.models import StepDocument
from xianfeng.development.tests.builders import walk

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def walker(world):
    """An applicant of branch A with the application and the talk recorded."""
    return walk(world, until="activist")


def add_url(walker):
    step = walker.steps()[0]
    return reverse("development:document_add", args=[walker.person.code, step.code])


def upload(name="入党申请书.pdf", content=PDF):
    return {"file": SimpleUploadedFile(name, content)}


def attached(client, walker):
    client.post(add_url(walker), upload())
    return StepDocument.objects.get()


def test_the_branch_admin_attaches_downloads_and_removes(client, world, walker):
    client.force_login(world.alice)
    response = client.post(add_url(walker), upload())
    assert response.status_code == 302
    document = StepDocument.objects.get()
    assert document.name == "入党申请书.pdf" and document.step.step == "application"
    page = client.get(reverse("development:person", args=[walker.person.code])).content.decode()
    assert "入党申请书.pdf" in page
    download = client.get(reverse("development:document", args=[walker.person.code, document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    removed = client.post(reverse("development:document_remove", args=[walker.person.code, document.pk]))
    assert removed.status_code == 302 and not StepDocument.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="development.document").values_list("action", flat=True)
    )
    assert sorted(actions) == ["development.document_add", "development.document_remove"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("申请书.exe", b"MZ\x90\x00", "Only PDF"),
        ("申请书.pdf", b"", "empty"),
        ("申请书.pdf", b"not a pdf at all", "not a PDF file"),
    ],
)
def test_a_bad_file_is_refused_on_the_step_and_nothing_is_kept(client, world, walker, name, content, message):
    client.force_login(world.alice)
    response = client.post(add_url(walker), upload(name, content))
    assert response.status_code == 400 and message in " ".join(response.context["upload_errors"])
    assert not StepDocument.objects.exists()


def test_no_file_is_a_clear_error(client, world, walker):
    client.force_login(world.alice)
    response = client.post(add_url(walker), {})
    assert response.status_code == 400 and response.context["upload_errors"]


def test_anonymous_is_sent_to_login(client, world, walker):
    client.force_login(world.alice)
    document = attached(client, walker)
    client.logout()
    for response in (
        client.post(add_url(walker), upload()),
        client.get(reverse("development:document", args=[walker.person.code, document.pk])),
        client.post(reverse("development:document_remove", args=[walker.person.code, document.pk])),
    ):
        assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("who", "read", "write"), [("charlie", 404, 404), ("dang", 403, 403), ("bob", 200, 403)]
)
def test_outsiders_members_and_viewers(client, world, walker, who, read, write):
    client.force_login(world.alice)
    document = attached(client, walker)
    client.force_login(getattr(world, who))
    assert (
        client.get(reverse("development:document", args=[walker.person.code, document.pk])).status_code
        == read
    )
    assert client.post(add_url(walker), upload("第二份.pdf")).status_code == write
    remove = reverse("development:document_remove", args=[walker.person.code, document.pk])
    assert client.post(remove).status_code == write
    assert list(StepDocument.objects.values_list("name", flat=True)) == ["入党申请书.pdf"]


def test_a_document_of_another_person_is_not_reachable_through_this_one(client, world, walker):
    client.force_login(world.alice)
    document = attached(client, walker)
    other = walk(world, until="talk")
    url = reverse("development:document", args=[other.person.code, document.pk])
    assert client.get(url).status_code == 404


def test_the_api_timeline_lists_the_documents_of_each_step(client, world, walker):
    from rest_framework.test import APIClient

    from xianfeng.core.api_auth import token_issue

    client.force_login(world.alice)
    attached(client, walker)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=world.bob)[0]}")
    body = api.get(f"/api/v1/development/memberships/{walker.person.code}/steps").json()
    application = next(s for s in body["steps"] if s["step"] == "application")
    assert [d["name"] for d in application["documents"]] == ["入党申请书.pdf"]
