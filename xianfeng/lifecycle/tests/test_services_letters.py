"""Transfer letters (MEM-03): issue, receipt (the membership ends through member_leave, or moves when
the destination is in the system), return, incoming letters (a new member through member_create)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.core.models import AuditEvent
from xianfeng.lifecycle import services
from xianfeng.lifecycle.choices import LetterDirection, LetterStatus
from xianfeng.lifecycle.models import TransferLetter
from xianfeng.lifecycle.selectors import overdue_letters
from xianfeng.lifecycle.services import LetterIn
from xianfeng.lifecycle.tests.helpers import TODAY, days_ago, issue, suspend
from xianfeng.people.choices import LeaveReason, MembershipEventKind, PoliticalStatus
from xianfeng.people.models import Membership, Person
from xianfeng.testing import id_number_for, make_member

pytestmark = pytest.mark.django_db


def errors_of(call):
    with pytest.raises(ValidationError) as err:
        call()
    return err.value.message_dict


class TestIssue:
    def test_it_issues_a_letter_valid_for_the_configured_days(self, world, settings):
        settings.XIANFENG_TRANSFER_LETTER_DAYS = 30
        letter = issue(world.member_a, actor=world.alice, issue_date=days_ago(5))
        assert (letter.status, letter.direction, letter.org) == (
            LetterStatus.ISSUED,
            LetterDirection.OUT,
            world.branch_a,
        )
        assert (letter.valid_days, letter.valid_until) == (30, days_ago(5) + dt.timedelta(days=30))
        event = AuditEvent.objects.get(action="transfer_letter.issue")
        assert (event.actor, event.org, event.target_id) == (world.alice, world.branch_a, str(letter.code))

    def test_an_explicit_validity_wins_over_the_setting(self, world):
        assert issue(world.member_a, valid_days=180).valid_days == 180

    @pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (366, True), (367, False)])
    def test_the_validity_is_between_1_and_366_days(self, world, days, ok):
        if ok:
            assert issue(world.member_a, valid_days=days).valid_days == days
        else:
            assert "valid_days" in errors_of(lambda: issue(world.member_a, valid_days=days))

    def test_the_issue_date_cannot_be_in_the_future(self, world):
        assert "issue_date" in errors_of(
            lambda: issue(world.member_a, issue_date=TODAY + dt.timedelta(days=1))
        )
        assert issue(world.member_a, issue_date=TODAY).issue_date == TODAY

    def test_bad_input_names_every_field_and_writes_nothing(self, world):
        errors = errors_of(
            lambda: services.letter_issue(
                actor=world.alice,
                membership=world.member_a,
                number=" ",
                issue_date=TODAY,
                counterpart_name="",
            )
        )
        assert {"number", "counterpart_name"} <= set(errors)
        assert (
            not TransferLetter.objects.exists()
            and not AuditEvent.objects.filter(action__startswith="transfer_letter").exists()
        )

    def test_a_number_is_unique_per_organization_and_direction(self, world):
        issue(world.member_a, number="X-1")
        assert "number" in errors_of(lambda: issue(world.dang_membership, number="X-1"))
        assert issue(world.member_b, number="X-1").org == world.branch_b  # another org may reuse it

    def test_one_open_letter_per_member(self, world):
        first = issue(world.member_a)
        message = errors_of(lambda: issue(world.member_a))["membership"][0]
        assert first.number in message

    def test_applicants_have_no_membership_to_transfer(self, world):
        applicant = make_member(world.branch_a, status=PoliticalStatus.APPLICANT)
        assert "membership" in errors_of(lambda: issue(applicant))

    def test_a_suspended_membership_cannot_be_transferred(self, world):
        suspend(world.member_a)
        assert "suspended" in errors_of(lambda: issue(world.member_a))["membership"][0]

    def test_a_destination_in_the_system_must_hold_members_and_differ(self, world):
        assert "counterpart_org" in errors_of(lambda: issue(world.member_a, counterpart_org=world.group_a1))
        assert "counterpart_org" in errors_of(lambda: issue(world.member_a, counterpart_org=world.branch_a))
        letter = issue(world.member_a, counterpart_org=world.branch_b, counterpart_name="")
        assert letter.counterpart_name == world.branch_b.name

    def test_outsiders_and_readers_cannot_issue(self, world):
        for user in (world.charlie, world.bob):
            with pytest.raises(PermissionDenied):
                issue(world.member_a, actor=user)
        assert not TransferLetter.objects.exists()


class TestReceipt:
    def test_receipt_ends_the_membership_as_transferred_out(self, world):
        letter = issue(world.member_a, actor=world.alice, issue_date=days_ago(10))
        services.letter_receive(actor=world.alice, letter=letter, received_date=days_ago(2))
        letter.refresh_from_db()
        membership = Membership.objects.get(pk=world.member_a.pk)
        assert (letter.status, letter.received_date) == (LetterStatus.RECEIVED, days_ago(2))
        assert (membership.left_date, membership.left_reason) == (days_ago(2), LeaveReason.TRANSFER_OUT)
        assert letter.number in membership.left_note
        assert membership.events.filter(kind=MembershipEventKind.LEFT).exists()
        assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
            "transfer_letter.receive",
            "membership.leave",
        }

    @pytest.mark.parametrize(("offset", "ok"), [(-1, False), (0, True)])
    def test_receipt_is_not_before_the_issue_date(self, world, offset, ok):
        letter = issue(world.member_a, issue_date=days_ago(10))
        day = days_ago(10) + dt.timedelta(days=offset)
        if ok:
            services.letter_receive(actor=world.alice, letter=letter, received_date=day)
        else:
            assert "received_date" in errors_of(
                lambda: services.letter_receive(actor=world.alice, letter=letter, received_date=day)
            )
            assert Membership.objects.get(pk=world.member_a.pk).is_current

    def test_receipt_is_not_in_the_future(self, world):
        letter = issue(world.member_a)
        assert "received_date" in errors_of(
            lambda: services.letter_receive(
                actor=world.alice, letter=letter, received_date=TODAY + dt.timedelta(days=1)
            )
        )
        assert TransferLetter.objects.get(pk=letter.pk).status == LetterStatus.ISSUED

    def test_a_letter_received_twice_is_refused(self, world):
        letter = issue(world.member_a)
        services.letter_receive(actor=world.alice, letter=letter, received_date=TODAY)
        assert "status" in errors_of(
            lambda: services.letter_receive(actor=world.alice, letter=letter, received_date=TODAY)
        )

    def test_a_late_receipt_clears_the_overdue_state(self, world):
        letter = issue(world.member_a, issue_date=days_ago(100), valid_days=90)
        assert overdue_letters(_subtree(world.committee), TODAY) == [letter]
        services.letter_receive(actor=world.alice, letter=letter, received_date=TODAY)
        assert overdue_letters(_subtree(world.committee), TODAY) == []

    def test_a_destination_in_the_system_moves_the_member_there(self, world):
        letter = issue(world.member_a, counterpart_org=world.branch_b)
        with pytest.raises(ValidationError) as err:  # alice cannot change branch B
            services.letter_receive(actor=world.alice, letter=letter, received_date=TODAY)
        assert "counterpart_org" in err.value.message_dict
        services.letter_receive(actor=world.boss, letter=letter, received_date=TODAY)
        membership = Membership.objects.get(pk=world.member_a.pk)
        assert membership.is_current and membership.org == world.branch_b

    def test_a_member_moved_since_the_issue_cannot_be_received(self, world):
        from xianfeng.people.services import member_transfer

        letter = issue(world.member_a)
        member_transfer(actor=world.boss, membership=world.member_a, to_org=world.branch_b, date=TODAY)
        assert "membership" in errors_of(
            lambda: services.letter_receive(actor=world.boss, letter=letter, received_date=TODAY)
        )

    def test_outsiders_and_readers_cannot_record_receipts(self, world):
        letter = issue(world.member_a)
        for user in (world.charlie, world.bob):
            with pytest.raises(PermissionDenied):
                services.letter_receive(actor=user, letter=letter, received_date=TODAY)
        assert Membership.objects.get(pk=world.member_a.pk).is_current


class TestReturn:
    def test_a_returned_letter_keeps_the_member_and_frees_a_new_letter(self, world):
        letter = issue(world.member_a, issue_date=days_ago(3))
        services.letter_return(actor=world.alice, letter=letter, returned_date=TODAY, note="对方单位未接收")
        letter.refresh_from_db()
        assert (letter.status, letter.returned_date, letter.note) == (
            LetterStatus.RETURNED,
            TODAY,
            "对方单位未接收",
        )
        assert Membership.objects.get(pk=world.member_a.pk).is_current
        assert issue(world.member_a).status == LetterStatus.ISSUED

    def test_a_return_needs_a_note_and_a_date_not_before_the_issue(self, world):
        letter = issue(world.member_a, issue_date=days_ago(3))
        errors = errors_of(
            lambda: services.letter_return(
                actor=world.alice, letter=letter, returned_date=days_ago(4), note=" "
            )
        )
        assert {"returned_date", "note"} <= set(errors)
        assert TransferLetter.objects.get(pk=letter.pk).status == LetterStatus.ISSUED


def _subtree(org):
    from django.db.models import Q

    return Q(path__startswith=org.path)


class TestOverdueLetters:
    def test_letters_past_their_validity_and_not_received_most_overdue_first(self, world):
        on_time = issue(world.member_a, issue_date=days_ago(90), valid_days=90)  # valid until today
        late = issue(world.dang_membership, issue_date=days_ago(91), valid_days=90)  # overdue since today
        later = issue(world.member_b, issue_date=days_ago(200), valid_days=90)
        assert overdue_letters(_subtree(world.committee), TODAY) == [later, late]
        assert overdue_letters(_subtree(world.branch_a), TODAY) == [late]
        assert overdue_letters(_subtree(world.committee), TODAY + dt.timedelta(days=1)) == [
            later,
            late,
            on_time,
        ]
        assert overdue_letters(_subtree(world.committee), TODAY)[0].membership.person.name == "李四"

    def test_one_query_whatever_the_number_of_letters(self, world, django_assert_num_queries):
        for membership in (world.member_a, world.dang_membership, world.member_b):
            issue(membership, issue_date=days_ago(120))
        with django_assert_num_queries(1):
            letters = overdue_letters(_subtree(world.committee), TODAY)
            names = [letter.membership.person.name for letter in letters] + [
                letter.org.name for letter in letters
            ]
        assert len(names) == 6


BIRTH = dt.date(1980, 5, 6)


def _incoming(**over):
    data = {
        "number": "外转〔2026〕8号",
        "counterpart_name": "中共某市委组织部",
        "issue_date": days_ago(20),
        "received_date": days_ago(1),
        "valid_days": 30,
    }
    return LetterIn(**{**data, **over})


def _new_person(**over):
    person = {"name": "周新", "id_number": id_number_for(BIRTH, "male"), **over}
    membership = {
        "status": PoliticalStatus.FULL,
        "application_date": dt.date(2005, 1, 1),
        "activist_date": dt.date(2005, 6, 1),
        "candidate_date": dt.date(2006, 3, 1),
        "admission_date": dt.date(2006, 7, 1),
        "conversion_date": dt.date(2007, 7, 1),
    }
    return person, membership


class TestIncoming:
    def test_a_new_member_is_recorded_with_the_letter(self, world):
        person, membership = _new_person()
        letter = services.letter_in_new_member(
            actor=world.alice,
            org=world.branch_a,
            letter=_incoming(),
            person_data=person,
            membership_data=membership,
        )
        assert (letter.direction, letter.status, letter.org) == (
            LetterDirection.IN,
            LetterStatus.RECEIVED,
            world.branch_a,
        )
        assert letter.membership.person.name == "周新" and letter.membership.org == world.branch_a
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"person.create", "membership.create", "transfer_letter.receive_in"} <= actions

    @pytest.mark.parametrize(("received", "ok"), [(11, True), (10, True), (9, False)])
    def test_a_letter_past_its_validity_is_not_accepted(self, world, received, ok):
        # issued 40 days ago, valid 30 days: valid until 10 days ago
        letter = _incoming(issue_date=days_ago(40), received_date=days_ago(received))
        person, membership = _new_person()

        def call():
            return services.letter_in_new_member(
                actor=world.alice,
                org=world.branch_a,
                letter=letter,
                person_data=person,
                membership_data=membership,
            )

        if ok:
            assert call().received_date == days_ago(received)
        else:
            assert "received_date" in errors_of(call)

    def test_letter_and_member_errors_are_reported_together_and_nothing_is_written(self, world):
        person, membership = _new_person(name="", id_number="123")
        errors = errors_of(
            lambda: services.letter_in_new_member(
                actor=world.alice,
                org=world.branch_a,
                letter=_incoming(number="", received_date=days_ago(21)),
                person_data=person,
                membership_data=membership,
            )
        )
        assert {"number", "received_date", "name", "id_number"} <= set(errors)
        assert not TransferLetter.objects.exists()
        assert not Membership.objects.filter(person__name="").exists()

    def test_only_party_members_arrive_by_letter(self, world):
        person, _membership = _new_person()
        applicant = {"status": PoliticalStatus.APPLICANT, "application_date": dt.date(2020, 1, 1)}
        errors = errors_of(
            lambda: services.letter_in_new_member(
                actor=world.alice,
                org=world.branch_a,
                letter=_incoming(),
                person_data=person,
                membership_data=applicant,
            )
        )
        assert "status" in errors

    def test_an_existing_member_gets_the_letter_once(self, world):
        letter = services.letter_in_existing(actor=world.alice, membership=world.member_a, letter=_incoming())
        assert letter.membership == world.member_a
        assert "membership" in errors_of(
            lambda: services.letter_in_existing(
                actor=world.alice, membership=world.member_a, letter=_incoming(number="2")
            )
        )

    def test_outsiders_cannot_receive_into_another_branch(self, world):
        person, membership = _new_person()
        with pytest.raises(PermissionDenied):
            services.letter_in_new_member(
                actor=world.charlie,
                org=world.branch_a,
                letter=_incoming(),
                person_data=person,
                membership_data=membership,
            )


class TestReturningMember:
    """Someone who transferred out of the system and comes back with a new letter is re-admitted on
    their existing record; the earlier membership stays as history."""

    def left(self, world, reason=LeaveReason.TRANSFER_OUT):
        from xianfeng.people.services import member_leave

        member = make_member(world.branch_b, name="周回")
        member_leave(actor=None, membership=member, reason=reason, date=days_ago(100))
        return member

    def receive(self, world, member):
        _person, membership = _new_person(name="另一个名字", id_number=member.person.id_number)
        return services.letter_in_new_member(
            actor=world.alice,
            org=world.branch_a,
            letter=_incoming(),
            person_data=_person,
            membership_data=membership,
        )

    def test_their_membership_is_reopened_on_their_record(self, world):
        old = self.left(world)
        people_before = Person.objects.count()
        letter = self.receive(world, old)
        back = letter.membership
        assert back.pk == old.pk and back.org == world.branch_a and back.is_current
        assert back.person.name == "周回" and Person.objects.count() == people_before  # the record is kept
        kinds = list(back.events.order_by("pk").values_list("kind", flat=True))
        assert kinds[-2:] == [MembershipEventKind.LEFT, MembershipEventKind.TRANSFER]  # history kept
        returned = back.events.latest("pk")
        assert (returned.from_org, returned.to_org) == (world.branch_b, world.branch_a)
        assert returned.reason.startswith("Back with letter") and returned.date == letter.received_date
        assert AuditEvent.objects.filter(action="membership.rejoin", org=world.branch_a).count() == 1

    def test_a_current_member_is_refused_on_the_id_number(self, world):
        _person, membership = _new_person(id_number=world.member_b.person.id_number)
        errors = errors_of(
            lambda: services.letter_in_new_member(
                actor=world.alice,
                org=world.branch_a,
                letter=_incoming(),
                person_data=_person,
                membership_data=membership,
            )
        )
        assert "id_number" in errors and not TransferLetter.objects.exists()

    def test_after_expulsion_a_letter_does_not_bring_them_back(self, world):
        old = self.left(world, LeaveReason.EXPULSION)
        errors = errors_of(lambda: self.receive(world, old))
        assert "new application" in errors["id_number"][0]
        old.refresh_from_db()
        assert not old.is_current and old.org == world.branch_b
