"""The lifecycle's date rules at their boundaries: the day before, on, and after each limit."""

from __future__ import annotations

import datetime as dt

import pytest

from xianfeng.lifecycle import rules
from xianfeng.lifecycle.choices import LetterState, LetterStatus, SuspensionReason, SuspensionState
from xianfeng.lifecycle.models import TransferLetter

D = dt.date


class TestLetterValidity:
    def test_the_default_validity_is_90_days_and_a_setting(self, settings):
        del settings.XIANFENG_TRANSFER_LETTER_DAYS  # absent: the default
        assert rules.letter_days() == 90
        settings.XIANFENG_TRANSFER_LETTER_DAYS = 30
        assert rules.letter_days() == 30

    def test_valid_until_is_issue_date_plus_the_days(self):
        assert rules.valid_until(D(2026, 1, 1), 90) == D(2026, 4, 1)

    @pytest.mark.parametrize(
        ("today", "state"),
        [
            (D(2026, 3, 31), LetterState.ISSUED),
            (D(2026, 4, 1), LetterState.ISSUED),  # the last valid day
            (D(2026, 4, 2), LetterState.OVERDUE),
        ],
    )
    def test_an_issued_letter_is_overdue_from_the_day_after_its_validity(self, today, state):
        letter = TransferLetter(status=LetterStatus.ISSUED, valid_until=D(2026, 4, 1))
        assert letter.state_on(today) == state
        assert letter.days_overdue(today) == (1 if state == LetterState.OVERDUE else 0)

    def test_a_received_letter_is_never_overdue(self):
        letter = TransferLetter(status=LetterStatus.RECEIVED, valid_until=D(2026, 4, 1))
        assert letter.state_on(D(2027, 1, 1)) == LetterState.RECEIVED
        assert letter.days_overdue(D(2027, 1, 1)) == 0


class TestMobile:
    def state(self, today, *, abroad=False, last=None, returned=None):
        return rules.mobile_state(
            start_date=D(2026, 1, 15), abroad=abroad, last_contact=last, return_date=returned, today=today
        )

    @pytest.mark.parametrize(
        ("today", "mobile"), [(D(2026, 7, 14), False), (D(2026, 7, 15), True), (D(2026, 7, 16), True)]
    )
    def test_a_member_away_six_months_is_a_mobile_member(self, today, mobile):
        assert self.state(today).mobile is mobile

    def test_a_returned_member_is_not_mobile(self):
        assert not self.state(D(2026, 9, 1), returned=D(2026, 8, 1)).mobile

    def test_members_at_home_in_the_country_have_no_contact_deadline(self):
        assert self.state(D(2027, 1, 1)).contact_due is None
        assert not self.state(D(2027, 1, 1)).contact_overdue

    @pytest.mark.parametrize(
        ("today", "overdue", "soon"),
        [
            (D(2026, 6, 14), False, False),
            (D(2026, 6, 15), False, True),  # 30 days before the deadline
            (D(2026, 7, 15), False, True),  # on the deadline: still on time
            (D(2026, 7, 16), True, False),
        ],
    )
    def test_members_abroad_are_contacted_every_six_months_from_leaving(self, today, overdue, soon):
        state = self.state(today, abroad=True)
        assert state.contact_due == D(2026, 7, 15)
        assert (state.contact_overdue, state.contact_due_soon) == (overdue, soon)

    @pytest.mark.parametrize(("today", "overdue"), [(D(2026, 9, 1), False), (D(2026, 9, 2), True)])
    def test_the_deadline_runs_from_the_last_contact(self, today, overdue):
        state = self.state(today, abroad=True, last=D(2026, 3, 1))
        assert state.contact_due == D(2026, 9, 1)
        assert state.contact_overdue is overdue


class TestSuspension:
    @pytest.mark.parametrize(
        ("reason", "since", "earliest"),
        [
            (SuspensionReason.ABROAD, D(2021, 3, 1), D(2026, 3, 2)),  # more than 5 years
            (SuspensionReason.LOST_CONTACT, D(2025, 9, 1), D(2026, 3, 1)),  # 6 months or more
        ],
    )
    def test_the_earliest_start_of_each_ground(self, reason, since, earliest):
        assert rules.earliest_suspension(reason, since) == earliest

    @pytest.mark.parametrize(
        ("today", "state"),
        [
            (D(2026, 3, 9), SuspensionState.SUSPENDED),
            (D(2026, 3, 10), SuspensionState.DUE_REMOVAL),  # two years on
            (D(2026, 3, 11), SuspensionState.DUE_REMOVAL),
        ],
    )
    def test_after_two_years_the_member_is_to_be_removed(self, today, state):
        assert (
            rules.suspension_state(
                start_date=D(2024, 3, 10), restored_date=None, removed_date=None, today=today
            )
            == state
        )

    def test_restored_and_removed_are_final(self):
        start = D(2020, 1, 1)
        assert (
            rules.suspension_state(
                start_date=start, restored_date=D(2021, 1, 1), removed_date=None, today=D(2026, 1, 1)
            )
            == SuspensionState.RESTORED
        )
        assert (
            rules.suspension_state(
                start_date=start, restored_date=None, removed_date=D(2022, 1, 1), today=D(2026, 1, 1)
            )
            == SuspensionState.REMOVED
        )


def test_the_medal_cutoff_is_the_first_of_july_fifty_years_before():
    assert rules.medal_cutoff(2026) == D(1976, 7, 1)
