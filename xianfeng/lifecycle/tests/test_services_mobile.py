"""Members away (MEM-04/05): registration, contacts, return; the encrypted, censored contact phone."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from xianfeng.core.audit import CENSOR_TOKEN
from xianfeng.core.models import AuditEvent
from xianfeng.lifecycle import services
from xianfeng.lifecycle.choices import AwayReason, ContactMethod
from xianfeng.lifecycle.models import MobileContact, MobileRecord
from xianfeng.lifecycle.selectors import mobile_rows
from xianfeng.lifecycle.tests.helpers import TODAY, away, contact, days_ago, months_ago
from xianfeng.people.services import member_leave

pytestmark = pytest.mark.django_db


def errors_of(call):
    with pytest.raises(ValidationError) as err:
        call()
    return err.value.message_dict


class TestStart:
    def test_it_records_the_time_away_with_an_encrypted_contact_phone(self, world):
        record = away(
            world.member_a,
            actor=world.alice,
            contact_person="张父",
            contact_phone="+1 415 555 0100",
            reason=AwayReason.STUDY_ABROAD,
        )
        assert record.abroad and record.contact_phone == "+1 415 555 0100"
        with connection.cursor() as cursor:
            cursor.execute("SELECT contact_phone FROM lifecycle_mobilerecord WHERE id = %s", [record.pk])
            stored = cursor.fetchone()[0]
        assert "415" not in stored
        event = AuditEvent.objects.get(action="mobile.start")
        assert event.after["contact_phone"] == CENSOR_TOKEN and event.org == world.branch_a
        assert record.contact_phone_masked == "+1 ****0100"

    def test_bad_input_names_each_field_and_writes_nothing(self, world):
        errors = errors_of(
            lambda: services.mobile_start(
                actor=world.alice,
                membership=world.member_a,
                start_date=TODAY + dt.timedelta(days=1),
                place=" ",
                reason="moon",
                contact_phone="abc",
                expected_return=TODAY,
            )
        )
        assert {"start_date", "place", "reason", "contact_phone"} <= set(errors)
        assert (
            not MobileRecord.objects.exists()
            and not AuditEvent.objects.filter(action="mobile.start").exists()
        )

    @pytest.mark.parametrize(("offset", "ok"), [(0, False), (1, True)])
    def test_the_expected_return_is_after_leaving(self, world, offset, ok):
        start = days_ago(10)

        def call():
            return away(world.member_a, start_date=start, expected_return=start + dt.timedelta(days=offset))

        if ok:
            assert call().expected_return == start + dt.timedelta(days=1)
        else:
            assert "expected_return" in errors_of(call)

    def test_one_open_record_per_member(self, world):
        away(world.member_a)
        assert "membership" in errors_of(lambda: away(world.member_a))

    def test_a_member_who_left_cannot_be_recorded_away(self, world):
        member_leave(actor=None, membership=world.member_a, reason="death", date=TODAY)
        assert "membership" in errors_of(lambda: away(world.member_a))

    def test_readers_and_outsiders_cannot_record(self, world):
        for user in (world.bob, world.charlie):
            with pytest.raises(PermissionDenied):
                away(world.member_a, actor=user)


class TestContacts:
    @pytest.mark.parametrize(("offset", "ok"), [(-1, False), (0, True)])
    def test_a_contact_is_not_before_leaving(self, world, offset, ok):
        record = away(world.member_a, start_date=days_ago(30))
        day = days_ago(30) + dt.timedelta(days=offset)
        if ok:
            assert contact(record, day).date == day
        else:
            assert "date" in errors_of(lambda: contact(record, day))

    def test_a_contact_is_not_in_the_future_and_has_a_method(self, world):
        record = away(world.member_a)
        errors = errors_of(
            lambda: services.mobile_contact_add(
                actor=world.alice, record=record, date=TODAY + dt.timedelta(days=1), method="telepathy"
            )
        )
        assert {"date", "method"} <= set(errors)
        assert not MobileContact.objects.exists()

    def test_a_logged_contact_moves_the_deadline_of_a_member_abroad(self, world):
        record = away(world.member_a, start_date=months_ago(7), reason=AwayReason.WORK_ABROAD)
        (row,) = mobile_rows(world.branch_a, TODAY)
        assert row.state.contact_overdue and row.state.mobile
        services.mobile_contact_add(actor=world.alice, record=record, date=TODAY, method=ContactMethod.VIDEO)
        (row,) = mobile_rows(world.branch_a, TODAY)
        assert not row.state.contact_overdue
        assert row.state.contact_due == TODAY + relativedelta(months=6)
        assert AuditEvent.objects.filter(action="mobile.contact", org=world.branch_a).exists()

    def test_no_contacts_after_the_return(self, world):
        record = away(world.member_a, start_date=days_ago(30))
        services.mobile_return(actor=world.alice, record=record, return_date=TODAY)
        assert "record" in errors_of(lambda: contact(record, TODAY))


class TestReturn:
    def test_the_return_closes_the_record_and_allows_a_new_one(self, world):
        record = away(world.member_a, start_date=days_ago(30))
        services.mobile_return(actor=world.alice, record=record, return_date=days_ago(1), note="回到本单位")
        record.refresh_from_db()
        assert record.return_date == days_ago(1)
        assert mobile_rows(world.branch_a, TODAY) == []
        assert away(world.member_a).return_date is None

    @pytest.mark.parametrize(("offset", "ok"), [(-1, False), (0, True)])
    def test_the_return_is_not_before_leaving(self, world, offset, ok):
        record = away(world.member_a, start_date=days_ago(30))
        day = days_ago(30) + dt.timedelta(days=offset)

        def call():
            return services.mobile_return(actor=world.alice, record=record, return_date=day)

        if ok:
            assert call().return_date == day
        else:
            assert "return_date" in errors_of(call)
            assert MobileRecord.objects.get(pk=record.pk).return_date is None

    def test_a_return_is_recorded_once(self, world):
        record = away(world.member_a, start_date=days_ago(30))
        services.mobile_return(actor=world.alice, record=record, return_date=TODAY)
        assert "record" in errors_of(
            lambda: services.mobile_return(actor=world.alice, record=record, return_date=TODAY)
        )


class TestUpdate:
    def details(self, record, **kw):
        data = {
            "start_date": record.start_date,
            "place": record.place,
            "reason": record.reason,
            "contact_person": record.contact_person,
            "contact_phone": record.contact_phone,
            "expected_return": record.expected_return,
            "note": record.note,
            "reason_for_change": "换了新手机号",
        }
        return {**data, **kw}

    def test_it_updates_an_open_record_with_the_reason_audited_and_the_phone_censored(self, world):
        record = away(world.member_a, actor=world.alice, contact_phone="13800001111")
        services.mobile_update(
            actor=world.alice,
            record=record,
            **self.details(record, place="杭州市", contact_phone="13900002222"),
        )
        record.refresh_from_db()
        assert (record.place, record.contact_phone) == ("杭州市", "13900002222")
        event = AuditEvent.objects.get(action="mobile.update")
        assert event.message == "换了新手机号" and event.before["place"] == "上海市浦东新区"
        assert event.before["contact_phone"] == CENSOR_TOKEN
        assert (
            event.after["contact_phone"].startswith(CENSOR_TOKEN)
            and "139" not in event.after["contact_phone"]
        )

    def test_bad_input_names_each_field_and_writes_nothing(self, world):
        record = away(world.member_a, actor=world.alice)
        errors = errors_of(
            lambda: services.mobile_update(
                actor=world.alice,
                record=record,
                **self.details(record, place=" ", contact_phone="abc", reason_for_change=" "),
            )
        )
        assert {"place", "contact_phone", "reason_for_change"} <= set(errors)
        record.refresh_from_db()
        assert (
            record.place == "上海市浦东新区"
            and not AuditEvent.objects.filter(action="mobile.update").exists()
        )

    def test_the_departure_cannot_move_after_a_logged_contact(self, world):
        record = away(world.member_a, actor=world.alice, start_date=months_ago(3))
        contact(record, months_ago(2), actor=world.alice)
        day_before = months_ago(2) - dt.timedelta(days=1)
        services.mobile_update(
            actor=world.alice, record=record, **self.details(record, start_date=day_before)
        )
        on_the_day = months_ago(2)
        services.mobile_update(
            actor=world.alice, record=record, **self.details(record, start_date=on_the_day)
        )
        errors = errors_of(
            lambda: services.mobile_update(
                actor=world.alice,
                record=record,
                **self.details(record, start_date=on_the_day + dt.timedelta(days=1)),
            )
        )
        assert "start_date" in errors

    def test_a_closed_record_is_history_and_outsiders_are_refused(self, world):
        record = away(world.member_a, actor=world.alice)
        with pytest.raises(PermissionDenied):
            services.mobile_update(actor=world.charlie, record=record, **self.details(record))
        services.mobile_return(actor=world.alice, record=record, return_date=TODAY)
        record.refresh_from_db()
        assert "record" in errors_of(
            lambda: services.mobile_update(actor=world.alice, record=record, **self.details(record))
        )
