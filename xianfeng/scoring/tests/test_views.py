"""The evaluation pages as users meet them: the access matrix on every page, the scheme editor's
validation, the grid's htmx saves, close actions, exports, a member's own points, query counts."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xianfeng.core.models import AuditEvent
from xianfeng.orgs.choices import OrgType
from xianfeng.scoring import closing, services
from xianfeng.scoring.models import Entry, Scheme
from xianfeng.scoring.tests.helpers import YEAR, branch_scheme, department_head, dim, member_scheme
from xianfeng.testing import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_a_scheme(world):
    """A points scheme owned by branch A (its own 3+2 points): invisible to branch B."""
    scheme = services.scheme_create(
        actor=world.alice, org=world.branch_a, year=YEAR, template="member_points_3_2"
    )
    services.scheme_activate(actor=world.alice, scheme=scheme)
    closing.period_compute(actor=world.alice, period=scheme.periods.get())
    return scheme


def pages(scheme, world):
    period = scheme.periods.order_by("start").first()
    return [
        reverse("scoring:scheme", kwargs={"pk": scheme.pk}),
        reverse("scoring:period", kwargs={"pk": period.pk}),
        reverse("scoring:grid", kwargs={"pk": period.pk}),
        reverse("scoring:export_ranking", kwargs={"pk": period.pk}),
        reverse("scoring:export_sheet", kwargs={"pk": period.pk}),
    ]


PAGE_COUNT = 5


# --- Access matrix ------------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(PAGE_COUNT))
def test_anonymous_is_sent_to_login(client, world, branch_a_scheme, index):
    response = client.get(pages(branch_a_scheme, world)[index])
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", ["scoring:schemes", "scoring:mine"])
def test_anonymous_is_sent_to_login_from_the_lists(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302


@pytest.mark.parametrize("index", range(PAGE_COUNT))
def test_the_outsider_in_the_sibling_branch_gets_404(client, world, branch_a_scheme, index):
    client.force_login(world.charlie)
    assert client.get(pages(branch_a_scheme, world)[index]).status_code == 404


@pytest.mark.parametrize("index", range(PAGE_COUNT))
def test_a_member_without_a_role_is_refused(client, world, branch_a_scheme, index):
    client.force_login(world.dang)
    assert client.get(pages(branch_a_scheme, world)[index]).status_code in (403, 404)


@pytest.mark.parametrize("index", range(PAGE_COUNT))
@pytest.mark.parametrize("user", ["bob", "alice", "boss"])
def test_permitted_users_see_the_page(client, world, branch_a_scheme, index, user):
    """Everyone with a role sees the pages; the read-only viewer may not export (no EXPORT action)."""
    client.force_login(getattr(world, user))
    expected = 403 if user == "bob" and index >= 3 else 200
    assert client.get(pages(branch_a_scheme, world)[index]).status_code == expected


def test_the_branch_page_follows_the_same_matrix(client, world):
    branch_scheme(world)
    url = reverse("scoring:branch", kwargs={"org_id": world.branch_a.pk})
    assert client.get(url).status_code == 302
    client.force_login(world.charlie)
    assert client.get(url).status_code == 404
    client.force_login(world.dang)
    assert client.get(url).status_code == 403
    for user in (world.bob, world.alice, world.boss):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_schemes_list_needs_a_role(client, world):
    client.force_login(world.dang)
    assert client.get(reverse("scoring:schemes")).status_code == 403


def test_my_points_is_for_every_logged_in_user(client, world):
    member_scheme(world)
    client.force_login(world.dang)
    response = client.get(reverse("scoring:mine"))
    assert response.status_code == 200 and "60.00" in response.content.decode()
    client.force_login(world.charlie)  # no party record: an explanation, not an error
    assert client.get(reverse("scoring:mine")).status_code == 200


def test_the_read_only_user_cannot_close_enter_or_score(client, world, branch_a_scheme):
    period = branch_a_scheme.periods.get()
    client.force_login(world.bob)
    assert client.post(reverse("scoring:period_compute", kwargs={"pk": period.pk})).status_code == 403
    assert client.get(reverse("scoring:entry_new", kwargs={"pk": period.pk})).status_code == 403
    response = client.post(
        reverse("scoring:cell", kwargs={"pk": period.pk}),
        {"dimension": "rating", "subject": str(world.member_a.code), "points": "8", "version": "0"},
    )
    assert response.status_code == 403 and not Entry.objects.filter(source="grid").exists()


def test_the_outsider_sees_a_committee_ranking_without_the_other_branch(client, world):
    scheme = branch_scheme(world)
    period = scheme.periods.order_by("start").first()
    closing.period_compute(actor=world.boss, period=period)
    client.force_login(world.charlie)
    html = client.get(reverse("scoring:period", kwargs={"pk": period.pk})).content.decode()
    assert world.branch_b.name in html and world.branch_a.name not in html


# --- Pages at work -------------------------------------------------------------------------------------


def test_a_scheme_is_created_from_a_template(client, world):
    client.force_login(world.boss)
    response = client.post(
        reverse("scoring:schemes"),
        {"org": world.committee.pk, "template": "branch_six_dimension", "year": YEAR},
    )
    scheme = Scheme.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "scoring:scheme", kwargs={"pk": scheme.pk}
    )


def _editor_post(scheme, **changes):
    from xianfeng.scoring.forms import bands_text, items_text, rules_text

    data = {
        "name": scheme.name,
        "period_kind": scheme.period_kind,
        "aggregation": scheme.aggregation,
        "base_points": str(scheme.base_points),
        "visibility": scheme.visibility,
        "veto_grade": scheme.veto_grade,
        "grade_bands": bands_text(scheme.grade_bands),
        "outcome_rules": rules_text(scheme.outcome_rules),
    }
    dims = list(scheme.dimensions.all())
    data.update(
        {
            "dim-TOTAL_FORMS": str(len(dims)),
            "dim-INITIAL_FORMS": str(len(dims)),
            "dim-MIN_NUM_FORMS": "0",
            "dim-MAX_NUM_FORMS": "1000",
        }
    )
    for i, d in enumerate(dims):
        data.update(
            {
                f"dim-{i}-code": d.code,
                f"dim-{i}-name": d.name,
                f"dim-{i}-kind": d.kind,
                f"dim-{i}-maximum": str(d.maximum),
                f"dim-{i}-weight": "" if d.weight is None else str(d.weight),
                f"dim-{i}-evaluator_role": d.evaluator_role,
                f"dim-{i}-evaluator_department": d.evaluator_department,
                f"dim-{i}-items": items_text(list(d.items.all())),
            }
        )
    data.update(changes)
    return data


def test_the_editor_saves_a_valid_scheme(client, world):
    scheme = services.scheme_create(
        actor=world.boss, org=world.committee, year=YEAR, template="team_business"
    )
    client.force_login(world.boss)
    url = reverse("scoring:scheme", kwargs={"pk": scheme.pk})
    response = client.post(url, _editor_post(scheme, name="智电班组业绩评价"))
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.name == "智电班组业绩评价" and scheme.dimensions.get(code="special").items.count() == 1


def test_the_editor_refuses_weights_that_do_not_add_up_and_keeps_the_input(client, world):
    scheme = services.scheme_create(
        actor=world.boss, org=world.committee, year=YEAR, template="team_business"
    )
    client.force_login(world.boss)
    response = client.post(
        reverse("scoring:scheme", kwargs={"pk": scheme.pk}),
        _editor_post(scheme, **{"dim-0-weight": "0.5", "name": "改名"}),
    )
    html = response.content.decode()
    assert response.status_code == 400 and "add up to 1" in html and "改名" in html
    scheme.refresh_from_db()
    assert scheme.name == "班组多维业绩评价"


def test_the_editor_names_the_line_of_a_bad_band(client, world):
    scheme = branch_scheme(world)
    client.force_login(world.boss)
    response = client.post(
        reverse("scoring:scheme", kwargs={"pk": scheme.pk}), _editor_post(scheme, grade_bands="九十 | 优秀")
    )
    assert response.status_code == 400 and "Line 1" in response.content.decode()


def test_a_viewer_cannot_post_the_editor(client, world):
    scheme = branch_scheme(world)
    client.force_login(world.bob)
    assert (
        client.post(reverse("scoring:scheme", kwargs={"pk": scheme.pk}), _editor_post(scheme)).status_code
        == 403
    )


def test_the_grid_saves_a_cell_through_htmx_and_reports_a_conflict(client, world):
    scheme = branch_scheme(world)
    period = scheme.periods.order_by("start").first()
    head = department_head(world, "ph", "党建部")
    client.force_login(head)
    grid = client.get(reverse("scoring:grid", kwargs={"pk": period.pk}))
    assert grid.status_code == 200 and "党建" in grid.content.decode()
    url = reverse("scoring:cell", kwargs={"pk": period.pk})
    data = {"dimension": "party", "subject": str(world.branch_a.pk), "points": "30", "version": "0"}
    ok = client.post(url, data, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and 'name="version" value="1"' in ok.content.decode()
    stale = client.post(url, {**data, "points": "20"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and 'value="30"' in stale.content.decode()
    too_high = client.post(url, {**data, "points": "99", "version": "1"})
    assert too_high.status_code == 400 and "0 to 35" in too_high.content.decode()
    other = client.post(url, {**data, "dimension": "discipline"})
    assert other.status_code == 403
    assert list(Entry.objects.values_list("points", flat=True)) == [30]


def test_entering_and_approving_an_entry_through_the_pages(client, world):
    scheme = member_scheme(world)
    period = scheme.periods.get()
    item = scheme.dimensions.get(code="exemplary").items.get(code="volunteer")
    client.force_login(world.alice)
    url = reverse("scoring:entry_new", kwargs={"pk": period.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"subject": str(world.member_a.code), "item": str(item.pk), "points": "2", "note": "志愿服务"}
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    client.post(reverse("scoring:entry_approve", kwargs={"pk": entry.pk}))
    entry.refresh_from_db()
    assert entry.status == "pending"  # the maker cannot approve
    client.force_login(world.boss)
    client.post(reverse("scoring:entry_approve", kwargs={"pk": entry.pk}))
    entry.refresh_from_db()
    assert entry.status == "approved" and entry.approved_by == world.boss


def test_close_actions_and_exports(client, world):
    scheme = branch_scheme(world)
    period = scheme.periods.order_by("start").first()
    client.force_login(world.boss)
    for action in ("period_compute", "period_lock", "period_publish"):
        assert client.post(reverse(f"scoring:{action}", kwargs={"pk": period.pk})).status_code == 302
    period.refresh_from_db()
    assert period.state == "published"
    response = client.get(reverse("scoring:export_ranking", kwargs={"pk": period.pk}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {sheet.cell(row=r, column=2).value for r in range(4, sheet.max_row + 1)}
    assert names == {world.branch_a.name, world.branch_b.name}
    response = client.get(reverse("scoring:export_sheet", kwargs={"pk": period.pk}))
    assert load_workbook(io.BytesIO(response.content)).active["C3"].value == "党建（35）"
    assert AuditEvent.objects.filter(action="scoring.export").count() == 2


def test_my_points_show_the_evidence_of_an_entry(client, world):
    scheme = member_scheme(world)
    period = scheme.periods.get()
    item = scheme.dimensions.get(code="exemplary").items.get(code="volunteer")
    entry = services.entry_create(
        actor=world.alice,
        period=period,
        dimension=item.dimension,
        item=item,
        subject=world.dang_membership,
        points=2,
        note="“青锋微光”志愿服务",
    )
    services.entry_approve(actor=world.boss, entry=entry)
    client.force_login(world.dang)
    html = client.get(reverse("scoring:mine")).content.decode()
    assert "青锋微光" in html and "62.00" in html


# --- Query counts --------------------------------------------------------------------------------------


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_ranking_and_the_grid_cost_the_same_queries_for_more_branches(client, world):
    scheme = branch_scheme(world)
    period = scheme.periods.order_by("start").first()
    head = department_head(world, "ph", "党建部")
    closing.period_compute(actor=world.boss, period=period)
    client.force_login(world.boss)
    ranking = reverse("scoring:period", kwargs={"pk": period.pk})
    grid = reverse("scoring:grid", kwargs={"pk": period.pk}) + "?dimension=party"
    before = (_queries(client, ranking), _queries(client, grid))
    for n in range(6):
        org = make_org(world.general_branch, OrgType.BRANCH, f"新增支部{n}")
        services.cell_save(
            actor=head, period=period, dimension=dim(scheme, "party"), subject=org, points=20 + n, version=0
        )
    closing.period_compute(actor=world.boss, period=period)
    after = (_queries(client, ranking), _queries(client, grid))
    assert after == before


def _xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["支部", "分数"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "scores.xlsx"
    return buffer


def test_an_import_with_an_unknown_branch_names_the_row_and_writes_nothing(client, world):
    scheme = branch_scheme(world)
    period = scheme.periods.order_by("start").first()
    client.force_login(department_head(world, "ph", "党建部"))
    url = reverse("scoring:import", kwargs={"pk": period.pk})
    upload = _xlsx([(world.branch_a.name, 30), ("不存在的支部", 20)])
    response = client.post(url, {"dimension": "party", "file": upload}, follow=True)
    html = response.content.decode()
    assert "Row 3" in html and "不存在的支部" in html and "Nothing was imported" in html
    assert not Entry.objects.exists()
    good = _xlsx([(world.branch_a.name, 30), (world.branch_b.name, 25.5)])
    response = client.post(url, {"dimension": "party", "file": good}, follow=True)
    assert "2 scores imported" in response.content.decode()
    assert sorted(Entry.objects.values_list("points", flat=True)) == [25.5, 30]


def test_an_old_excel_file_is_refused_with_a_message(client, world):
    scheme = branch_scheme(world)
    period = scheme.periods.order_by("start").first()
    client.force_login(department_head(world, "ph", "党建部"))
    old = io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    old.name = "scores.xls"
    response = client.post(
        reverse("scoring:import", kwargs={"pk": period.pk}), {"dimension": "party", "file": old}, follow=True
    )
    assert ".xls" in response.content.decode() and not Entry.objects.exists()
