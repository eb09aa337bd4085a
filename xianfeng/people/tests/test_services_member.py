import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from xianfeng.core.audit import CENSOR_TOKEN, CENSOR_TOKEN_CHANGED
from xianfeng.core.models import AuditEvent
from xianfeng.people import services
from xianfeng.people.choices import LeaveReason, MembershipEventKind, PoliticalStatus
from xianfeng.people.models import Membership, Person
from xianfeng.testing import id_number_for

BIRTH = dt.date(1988, 4, 2)


def _data(**over):
    person = {"name": "赵六", "id_number": id_number_for(BIRTH, "male"), "phone": "13812345678", **over}
    membership = {"status": PoliticalStatus.APPLICANT, "application_date": dt.date(2024, 1, 5)}
    return person, membership


class TestMemberCreate:
    def test_it_fills_birth_date_and_gender_from_the_id_number(self, world):
        person, membership = _data()
        m = services.member_create(
            actor=world.alice, org=world.branch_a, person_data=person, membership_data=membership
        )
        assert (m.person.birth_date, m.person.gender) == (BIRTH, "male")
        assert m.events.get().kind == MembershipEventKind.JOINED

    def test_it_refuses_a_birth_date_that_disagrees_with_the_id_number(self, world):
        person, membership = _data(birth_date=dt.date(1988, 4, 3))
        with pytest.raises(ValidationError) as err:
            services.member_create(
                actor=world.alice, org=world.branch_a, person_data=person, membership_data=membership
            )
        assert "birth_date" in err.value.message_dict
        assert not Person.objects.filter(name="赵六").exists()

    def test_it_refuses_a_gender_that_disagrees_with_the_id_number(self, world):
        person, membership = _data(gender="female")
        with pytest.raises(ValidationError) as err:
            services.member_create(
                actor=world.alice, org=world.branch_a, person_data=person, membership_data=membership
            )
        assert "gender" in err.value.message_dict

    def test_it_refuses_a_duplicate_id_number_whatever_its_case(self, world):
        person, membership = _data()
        services.member_create(
            actor=world.alice, org=world.branch_a, person_data=person, membership_data=membership
        )
        again = {**person, "name": "赵六二", "id_number": person["id_number"].lower()}
        with pytest.raises(ValidationError) as err:
            services.member_create(
                actor=world.boss, org=world.branch_b, person_data=again, membership_data=membership
            )
        assert "id_number" in err.value.message_dict

    def test_it_refuses_an_org_outside_the_actors_scope(self, world):
        person, membership = _data()
        with pytest.raises(PermissionDenied):
            services.member_create(
                actor=world.alice, org=world.branch_b, person_data=person, membership_data=membership
            )

    def test_a_party_group_must_belong_to_the_members_org(self, world):
        person, membership = _data()
        with pytest.raises(ValidationError) as err:
            services.member_create(
                actor=world.boss,
                org=world.branch_b,
                person_data=person,
                membership_data={**membership, "party_group": world.group_a1},
            )
        assert "party_group" in err.value.message_dict

    def test_sensitive_fields_are_encrypted_at_rest(self, world):
        person, membership = _data()
        m = services.member_create(
            actor=world.alice, org=world.branch_a, person_data=person, membership_data=membership
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, phone FROM people_person WHERE id = %s", [m.person_id])
            stored_id, stored_phone = cursor.fetchone()
        assert person["id_number"] not in stored_id and "13812345678" not in stored_phone
        assert Person.objects.get(pk=m.person_id).id_number == person["id_number"]

    def test_the_audit_row_censors_sensitive_values(self, world):
        person, membership = _data()
        m = services.member_create(
            actor=world.alice, org=world.branch_a, person_data=person, membership_data=membership
        )
        event = AuditEvent.objects.get(action="person.create", target_id=str(m.person.code))
        assert event.after["id_number"] == CENSOR_TOKEN and event.after["phone"] == CENSOR_TOKEN
        assert person["id_number"] not in str(event.after)


class TestPersonUpdate:
    def test_a_changed_phone_is_logged_as_changed_without_its_value(self, world):
        services.person_update(actor=world.alice, person=world.member_a.person, data={"phone": "13900001111"})
        event = AuditEvent.objects.get(action="person.update")
        assert event.after == {"phone": CENSOR_TOKEN_CHANGED} and "13900001111" not in str(event.before)

    def test_a_viewer_cannot_update(self, world):
        with pytest.raises(PermissionDenied):
            services.person_update(actor=world.bob, person=world.member_a.person, data={"department": "x"})


class TestTransfer:
    def test_both_orgs_keep_the_history_and_posts_in_the_old_org_end(self, world):
        services.post_assign(
            actor=world.boss,
            person=world.member_a.person,
            org=world.branch_a,
            post="secretary",
            start_date=dt.date(2024, 3, 1),
        )
        services.member_transfer(
            actor=world.boss,
            membership=world.member_a,
            to_org=world.branch_b,
            date=dt.date(2025, 6, 1),
            reason="调动",
        )
        m = Membership.objects.get(pk=world.member_a.pk)
        assert m.org == world.branch_b
        event = m.events.get(kind=MembershipEventKind.TRANSFER)
        assert (event.from_org, event.to_org) == (world.branch_a, world.branch_b)
        assert set(AuditEvent.objects.filter(action="membership.transfer").values_list("org", flat=True)) == {
            world.branch_a.pk,
            world.branch_b.pk,
        }
        assert m.person.posts.get().end_date == dt.date(2025, 6, 1)

    def test_a_branch_admin_cannot_transfer_into_a_sibling_branch(self, world):
        with pytest.raises(PermissionDenied):
            services.member_transfer(
                actor=world.alice, membership=world.member_a, to_org=world.branch_b, date=dt.date(2025, 6, 1)
            )
        assert Membership.objects.get(pk=world.member_a.pk).org == world.branch_a


class TestLeave:
    def test_leaving_keeps_the_record_and_history(self, world):
        services.member_leave(
            actor=world.alice, membership=world.member_a, reason=LeaveReason.DEATH, date=dt.date(2025, 2, 1)
        )
        m = Membership.objects.get(pk=world.member_a.pk)
        assert (m.left_date, m.left_reason) == (dt.date(2025, 2, 1), LeaveReason.DEATH)
        assert m.events.filter(kind=MembershipEventKind.LEFT).exists()
        assert m not in Membership.objects.current()

    def test_a_left_member_cannot_be_changed_or_leave_twice(self, world):
        services.member_leave(
            actor=world.alice,
            membership=world.member_a,
            reason=LeaveReason.TRANSFER_OUT,
            date=dt.date(2025, 2, 1),
        )
        with pytest.raises(ValidationError):
            services.member_leave(
                actor=world.alice,
                membership=world.member_a,
                reason=LeaveReason.DEATH,
                date=dt.date(2025, 3, 1),
            )
        with pytest.raises(ValidationError):
            services.membership_update(actor=world.alice, membership=world.member_a, data={}, reason="x")

    def test_people_cannot_be_deleted(self, world):
        from django.db.models import ProtectedError

        with pytest.raises(ProtectedError):
            world.member_a.person.delete()


class TestMembershipUpdate:
    def test_a_status_step_records_a_history_line_and_needs_a_reason(self, world):
        from xianfeng.testing import make_member

        m = make_member(world.branch_a, status=PoliticalStatus.CANDIDATE, admission_date=dt.date(2020, 1, 1))
        with pytest.raises(ValidationError) as err:
            services.membership_update(actor=world.alice, membership=m, data={}, reason="")
        assert "reason" in err.value.message_dict
        services.membership_update(
            actor=world.alice,
            membership=m,
            data={"status": PoliticalStatus.PROBATIONARY, "admission_date": dt.date(2025, 7, 1)},
            reason="支部大会通过",
        )
        event = m.events.get(kind=MembershipEventKind.STATUS)
        assert (event.from_status, event.to_status, event.date) == (
            "candidate",
            "probationary",
            dt.date(2025, 7, 1),
        )


class TestReveal:
    def test_unmasking_needs_the_right_and_is_logged(self, world):
        with pytest.raises(PermissionDenied):
            services.person_reveal(actor=world.alice, person=world.member_a.person, field="id_number")
        value = services.person_reveal(actor=world.boss, person=world.member_a.person, field="id_number")
        assert value == world.member_a.person.id_number
        assert AuditEvent.objects.filter(action="person.unmask", actor=world.boss).count() == 1
