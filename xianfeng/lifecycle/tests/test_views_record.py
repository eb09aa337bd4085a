"""The lifecycle sections on a member's record, and the forms they lead to: a valid post writes through
the service and goes back to the record; bad input comes back (400) with the error under the field it
names, the typed input kept, and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianfeng.core.models import AuditEvent
from xianfeng.lifecycle import services
from xianfeng.lifecycle.choices import AwayReason, LetterStatus
from xianfeng.lifecycle.models import (
    FamilyMember,
    MobileContact,
    MobileRecord,
    RewardPunishment,
    Suspension,
    TransferLetter,
)
from xianfeng.lifecycle.tests.helpers import TODAY, away, contact, days_ago, issue, months_ago, suspend
from xianfeng.people.choices import LeaveReason
from xianfeng.people.models import Membership
from xianfeng.testing import id_number_for

pytestmark = pytest.mark.django_db


def detail(client, membership):
    return client.get(reverse("people:detail", args=[membership.code]))


def family(world, name="王芳"):
    return services.info_add(
        actor=None, membership=world.member_a, kind="family", data={"name": name, "relation": "spouse"}
    )


class TestSections:
    def test_the_record_shows_every_section_with_add_buttons_for_the_admin(self, client, world):
        client.force_login(world.alice)
        html = detail(client, world.member_a).content.decode()
        for text in (
            "Transfer letters",
            "Time away",
            "Suspension of membership",
            "Rewards and punishments",
            "Trips abroad",
            "Hardship",
            "Family members",
            "Training",
            "Issue a letter out",
            "Record time away",
        ):
            assert text in html, text

    def test_readers_see_the_sections_without_forms_and_without_family_members(self, client, world):
        family(world)
        issue(world.member_a)
        client.force_login(world.bob)
        html = detail(client, world.member_a).content.decode()
        assert "Transfer letters" in html and "Rewards and punishments" in html
        assert "Family members" not in html and "王芳" not in html
        assert "Issue a letter out" not in html and "Record the receipt" not in html
        client.force_login(world.alice)
        assert "王芳" in detail(client, world.member_a).content.decode()

    def test_the_member_sees_their_own_record_without_family_and_forms(self, client, world):
        services.info_add(
            actor=None,
            membership=world.dang_membership,
            kind="family",
            data={"name": "王小明", "relation": "child"},
        )
        client.force_login(world.dang)
        html = detail(client, world.dang_membership).content.decode()
        assert "Time away" in html and "王小明" not in html and "Record time away" not in html

    def test_states_are_shown_in_words(self, client, world):
        issue(world.member_a, issue_date=days_ago(100), valid_days=90)
        away(
            world.member_a,
            start_date=months_ago(8),
            reason=AwayReason.STUDY_ABROAD,
            contact_phone="13812345678",
        )
        client.force_login(world.alice)
        html = detail(client, world.member_a).content.decode()
        assert "Overdue: past its validity" in html
        assert "Mobile member" in html and "Contact overdue" in html
        assert "138****5678" in html and "13812345678" not in html

    def test_the_sections_take_a_fixed_number_of_queries(self, client, world):
        """One row of each kind, then four: the same number of queries (prefetches are skipped only
        when there is nothing at all)."""
        client.force_login(world.alice)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert detail(client, world.member_a).status_code == 200
            return len(ctx.captured_queries)

        def fill(n):
            letter = issue(world.member_a, issue_date=days_ago(10 + n))
            services.letter_return(actor=None, letter=letter, returned_date=TODAY, note="退回")
            record = away(world.member_a, start_date=days_ago(30 + n))
            contact(record, TODAY)
            contact(record, days_ago(1))
            services.mobile_return(actor=None, record=record, return_date=TODAY)
            suspension = suspend(world.member_a, start_date=days_ago(n))
            services.suspension_restore(actor=None, suspension=suspension, restored_date=TODAY, note="x")
            for kind, data in (
                ("rewards", {"category": "reward", "date": TODAY, "title": f"奖{n}", "granted_by": "党委"}),
                ("trips", {"start_date": days_ago(9), "destination": "香港", "purpose": "探亲"}),
                ("hardship", {"recorded_date": TODAY, "category": "illness", "description": "病"}),
                ("family", {"name": f"亲属{n}", "relation": "child"}),
                (
                    "training",
                    {
                        "start_date": TODAY,
                        "end_date": TODAY,
                        "title": "培训",
                        "hours": 4,
                        "organiser": "党校",
                    },
                ),
            ):
                services.info_add(actor=None, membership=world.member_a, kind=kind, data=data)

        fill(0)
        one = count()
        for n in range(1, 4):
            fill(n)
        assert count() == one


class TestLetterForms:
    def test_issue_then_receive_ends_the_membership(self, client, world):
        client.force_login(world.alice)
        url = reverse("lifecycle:letter_out", args=[world.member_a.code])
        data = {
            "number": "组转〔2026〕1号",
            "counterpart_name": "中共某公司委员会",
            "issue_date": TODAY.isoformat(),
            "valid_days": 90,
        }
        response = client.post(url, data)
        assert response.status_code == 302 and str(world.member_a.code) in response["Location"]
        letter = TransferLetter.objects.get()
        response = client.post(
            reverse("lifecycle:letter_receive", args=[letter.code]), {"received_date": TODAY.isoformat()}
        )
        assert response.status_code == 302
        membership = Membership.objects.get(pk=world.member_a.pk)
        assert membership.left_reason == LeaveReason.TRANSFER_OUT
        html = detail(client, membership).content.decode()
        assert "Received" in html and "Issue a letter out" not in html

    def test_bad_input_is_shown_under_its_field_and_nothing_is_written(self, client, world):
        client.force_login(world.alice)
        url = reverse("lifecycle:letter_out", args=[world.member_a.code])
        future = (TODAY + dt.timedelta(days=1)).isoformat()
        response = client.post(
            url, {"number": "N-1", "counterpart_name": "", "issue_date": future, "valid_days": 90}
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert set(form.errors) >= {"issue_date", "counterpart_name"}
        assert 'value="N-1"' in response.content.decode()  # typed input kept
        assert not TransferLetter.objects.exists()

    def test_a_receipt_before_the_issue_is_refused(self, client, world):
        letter = issue(world.member_a, issue_date=days_ago(3))
        client.force_login(world.alice)
        response = client.post(
            reverse("lifecycle:letter_receive", args=[letter.code]),
            {"received_date": days_ago(4).isoformat()},
        )
        assert response.status_code == 400 and "received_date" in response.context["form"].errors
        assert Membership.objects.get(pk=world.member_a.pk).is_current

    def test_the_return_form(self, client, world):
        letter = issue(world.member_a)
        client.force_login(world.alice)
        url = reverse("lifecycle:letter_return", args=[letter.code])
        assert client.post(url, {"returned_date": TODAY.isoformat(), "note": ""}).status_code == 400
        assert client.post(url, {"returned_date": TODAY.isoformat(), "note": "对方未接收"}).status_code == 302
        assert TransferLetter.objects.get().status == LetterStatus.RETURNED

    def test_receive_a_new_member_from_outside(self, client, world):
        client.force_login(world.alice)
        url = reverse("lifecycle:letter_in_new") + f"?org={world.branch_a.pk}"
        assert client.get(url).context["form"].initial["org"] == world.branch_a.pk
        data = {
            "number": "外转8号",
            "counterpart_name": "中共某市委组织部",
            "issue_date": days_ago(5).isoformat(),
            "valid_days": 90,
            "received_date": TODAY.isoformat(),
            "name": "周新",
            "id_number": id_number_for(dt.date(1980, 5, 6)),
            "ethnicity": "01",
            "org": world.branch_a.pk,
            "status": "full",
            "application_date": "2005-01-01",
            "activist_date": "2005-06-01",
            "candidate_date": "2006-03-01",
            "admission_date": "2006-07-01",
            "conversion_date": "2007-07-01",
        }
        bad = client.post(url, {**data, "number": ""})  # the form's own check
        assert bad.status_code == 400 and "number" in bad.context["form"].errors
        bad = client.post(
            url, {**data, "status": "applicant", "received_date": days_ago(6).isoformat()}
        )  # the service's
        assert bad.status_code == 400 and {"status", "received_date"} <= set(bad.context["form"].errors)
        assert not Membership.objects.filter(person__name="周新").exists()
        response = client.post(url, data)
        membership = Membership.objects.get(person__name="周新")
        assert response.status_code == 302 and str(membership.code) in response["Location"]
        assert TransferLetter.objects.get().membership == membership

    def test_the_incoming_letter_of_a_recorded_member(self, client, world):
        client.force_login(world.alice)
        url = reverse("lifecycle:letter_in", args=[world.member_a.code])
        data = {
            "number": "外转9号",
            "counterpart_name": "某党委",
            "issue_date": days_ago(5).isoformat(),
            "valid_days": 90,
            "received_date": TODAY.isoformat(),
        }
        assert client.post(url, data).status_code == 302
        assert TransferLetter.objects.get().direction == "in"


class TestAwayForms:
    def test_record_contact_and_return(self, client, world):
        client.force_login(world.alice)
        url = reverse("lifecycle:mobile_start", args=[world.member_a.code])
        bad = client.post(url, {"start_date": days_ago(10).isoformat(), "place": "", "reason": "work"})
        assert bad.status_code == 400 and "place" in bad.context["form"].errors
        bad = client.post(
            url,
            {"start_date": days_ago(10).isoformat(), "place": "伦敦", "reason": "work", "contact_phone": "x"},
        )
        assert bad.status_code == 400 and "contact_phone" in bad.context["form"].errors
        assert not MobileRecord.objects.exists()
        data = {
            "start_date": days_ago(10).isoformat(),
            "place": "伦敦",
            "reason": "study_abroad",
            "contact_phone": "+44 20 7946 0958",
        }
        assert client.post(url, data).status_code == 302
        record = MobileRecord.objects.get()
        contact_url = reverse("lifecycle:mobile_contact", args=[record.code])
        assert (
            client.post(contact_url, {"date": days_ago(11).isoformat(), "method": "phone"}).status_code == 400
        )
        assert (
            client.post(
                contact_url, {"date": TODAY.isoformat(), "method": "video", "note": "学习顺利"}
            ).status_code
            == 302
        )
        assert MobileContact.objects.get().note == "学习顺利"
        assert (
            client.post(
                reverse("lifecycle:mobile_return", args=[record.code]), {"return_date": TODAY.isoformat()}
            ).status_code
            == 302
        )
        assert MobileRecord.objects.get().return_date == TODAY


class TestSuspensionForms:
    def test_suspend_restore(self, client, world):
        client.force_login(world.alice)
        url = reverse("lifecycle:suspension_start", args=[world.member_a.code])
        early = {
            "reason": "lost_contact",
            "since": days_ago(30).isoformat(),
            "start_date": TODAY.isoformat(),
            "note": "支部大会",
        }
        response = client.post(url, early)
        assert response.status_code == 400 and "MEM-02" in response.context["form"].errors["start_date"][0]
        assert not Suspension.objects.exists()
        ok = {**early, "since": months_ago(7).isoformat()}
        assert client.post(url, ok).status_code == 302
        suspension = Suspension.objects.get()
        restore = reverse("lifecycle:suspension_restore", args=[suspension.code])
        assert (
            client.post(restore, {"restored_date": TODAY.isoformat(), "note": "已联系上"}).status_code == 302
        )
        assert not Suspension.objects.get().is_open

    def test_the_suspension_form_starts_from_the_time_away(self, client, world):
        away(world.member_a, start_date=months_ago(9))
        client.force_login(world.alice)
        form = client.get(reverse("lifecycle:suspension_start", args=[world.member_a.code])).context["form"]
        assert form.initial["since"] == months_ago(9)

    def test_remove_after_two_years(self, client, world):
        from dateutil.relativedelta import relativedelta

        suspension = suspend(world.member_a, start_date=TODAY - relativedelta(years=2))
        client.force_login(world.alice)
        assert "Remove as having left" in detail(client, world.member_a).content.decode()
        url = reverse("lifecycle:suspension_remove", args=[suspension.code])
        assert (
            client.post(url, {"date": TODAY.isoformat(), "note": "支部大会决定，上级批准"}).status_code == 302
        )
        assert Membership.objects.get(pk=world.member_a.pk).left_reason == LeaveReason.SELF_DEPARTURE


class TestInfoForms:
    def test_add_correct_remove(self, client, world):
        client.force_login(world.alice)
        url = reverse("lifecycle:info_add", args=[world.member_a.code, "rewards"])
        future = (TODAY + dt.timedelta(days=1)).isoformat()
        bad = client.post(
            url, {"category": "reward", "date": TODAY.isoformat(), "title": "优秀党员", "granted_by": ""}
        )
        assert bad.status_code == 400 and "granted_by" in bad.context["form"].errors
        bad = client.post(
            url, {"category": "reward", "date": future, "title": "优秀党员", "granted_by": "党委"}
        )
        assert bad.status_code == 400 and "date" in bad.context["form"].errors
        assert not RewardPunishment.objects.exists()
        data = {
            "category": "reward",
            "date": TODAY.isoformat(),
            "title": "优秀党员",
            "granted_by": "公司党委",
        }
        assert client.post(url, data).status_code == 302
        entry = RewardPunishment.objects.get()
        edit = reverse("lifecycle:info_edit", args=["rewards", entry.code])
        assert client.get(edit).context["form"].initial["title"] == "优秀党员"
        assert client.post(edit, {**data, "title": "优秀共产党员"}).status_code == 302
        assert RewardPunishment.objects.get().title == "优秀共产党员"
        remove = reverse("lifecycle:info_remove", args=["rewards", entry.code])
        assert "优秀共产党员" in client.get(remove).content.decode()
        assert client.post(remove).status_code == 302
        assert not RewardPunishment.objects.exists()
        assert AuditEvent.objects.filter(action="member_info.remove").exists()

    def test_family_members_are_managed_only_with_the_change_right(self, client, world):
        entry = family(world)
        client.force_login(world.bob)
        assert client.get(reverse("lifecycle:info_edit", args=["family", entry.code])).status_code == 403
        client.force_login(world.alice)
        assert client.get(reverse("lifecycle:info_edit", args=["family", entry.code])).status_code == 200
        assert FamilyMember.objects.count() == 1


class TestMobileUpdatePage:
    def test_the_form_keeps_the_phone_masked_and_an_empty_phone_keeps_it(self, client, world):
        from xianfeng.lifecycle.models import MobileRecord
        from xianfeng.lifecycle.tests.helpers import away

        record = away(world.member_a, actor=world.alice, contact_phone="13800001111")
        url = reverse("lifecycle:mobile_update", args=[record.code])
        client.force_login(world.alice)
        page = client.get(url).content.decode()
        assert "13800001111" not in page and "138****1111" in page
        response = client.post(
            url,
            {
                "start_date": record.start_date.isoformat(),
                "place": "杭州市",
                "reason": record.reason,
                "contact_phone": "",
                "reason_for_change": "到杭州分公司工作",
            },
        )
        assert response.status_code == 302
        record = MobileRecord.objects.get(pk=record.pk)
        assert (record.place, record.contact_phone) == ("杭州市", "13800001111")

    def test_a_missing_reason_for_the_change_is_shown_on_its_field(self, client, world):
        from xianfeng.lifecycle.tests.helpers import away

        record = away(world.member_a, actor=world.alice)
        client.force_login(world.alice)
        response = client.post(
            reverse("lifecycle:mobile_update", args=[record.code]),
            {"start_date": record.start_date.isoformat(), "place": "杭州市", "reason": record.reason},
        )
        assert response.status_code == 400 and "reason_for_change" in response.context["form"].errors
