"""Boundary tests of the membership rules: the day before, on, and after each limit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xianfeng.people import services
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import id_number_for

BIRTH = dt.date(2000, 3, 15)


def _applicant(org, application_date, birth=BIRTH):
    return services.member_create(
        actor=None,
        org=org,
        person_data={"name": "测试", "id_number": id_number_for(birth, "female")},
        membership_data={"status": PoliticalStatus.APPLICANT, "application_date": application_date},
    )


class TestMinimumAgeAtApplication:
    """DEV-01: at least 18 on the application date (党章 art. 1; 细则 art. 5)."""

    def test_the_day_before_the_18th_birthday_is_refused(self, world):
        with pytest.raises(ValidationError) as err:
            _applicant(world.branch_a, dt.date(2018, 3, 14))
        assert "细则 art. 5" in err.value.message_dict["application_date"][0]

    def test_the_18th_birthday_is_accepted(self, world):
        assert _applicant(world.branch_a, dt.date(2018, 3, 15)).application_date == dt.date(2018, 3, 15)

    def test_the_day_after_is_accepted(self, world):
        assert _applicant(world.branch_a, dt.date(2018, 3, 16)).status == PoliticalStatus.APPLICANT

    def test_a_leap_day_birth_turns_18_on_1_march_of_a_common_year(self, world):
        """28 February ends the 18th year at 24:00 (民法典 arts. 202–203), so 1 March is the first day
        at 18; the development checks use the same function (people.rules.age_reached)."""
        leap = dt.date(2004, 2, 29)
        with pytest.raises(ValidationError):
            _applicant(world.branch_a, dt.date(2022, 2, 28), birth=leap)
        assert _applicant(world.branch_a, dt.date(2022, 3, 1), birth=leap).pk


class TestProbationYear:
    """DEV-17: probation is one year from admission (党章 art. 7; 细则 art. 32)."""

    def _full(self, org, admission, conversion):
        return services.member_create(
            actor=None,
            org=org,
            person_data={"name": "转正", "id_number": id_number_for(dt.date(1990, 1, 1))},
            membership_data={
                "status": PoliticalStatus.FULL,
                "application_date": dt.date(2015, 1, 1),
                "activist_date": dt.date(2015, 6, 1),
                "candidate_date": dt.date(2016, 7, 1),
                "admission_date": admission,
                "conversion_date": conversion,
            },
        )

    def test_conversion_the_day_before_one_year_is_refused(self, world):
        with pytest.raises(ValidationError) as err:
            self._full(world.branch_a, dt.date(2020, 3, 15), dt.date(2021, 3, 14))
        assert "conversion_date" in err.value.message_dict

    def test_conversion_on_the_anniversary_is_accepted(self, world):
        assert self._full(world.branch_a, dt.date(2020, 3, 15), dt.date(2021, 3, 15)).pk

    def test_conversion_after_an_extension_is_accepted(self, world):
        assert self._full(world.branch_a, dt.date(2020, 3, 15), dt.date(2021, 9, 16)).pk


class TestKeyDates:
    def test_dates_out_of_order_name_the_later_field(self, world):
        with pytest.raises(ValidationError) as err:
            services.member_create(
                actor=None,
                org=world.branch_a,
                person_data={"name": "乱序", "id_number": id_number_for(dt.date(1990, 1, 1))},
                membership_data={
                    "status": PoliticalStatus.ACTIVIST,
                    "application_date": dt.date(2020, 5, 1),
                    "activist_date": dt.date(2020, 4, 30),
                },
            )
        assert list(err.value.message_dict) == ["activist_date"]

    def test_a_status_needs_its_own_date_and_no_later_ones(self, world):
        with pytest.raises(ValidationError) as err:
            services.member_create(
                actor=None,
                org=world.branch_a,
                person_data={"name": "缺日期", "id_number": id_number_for(dt.date(1990, 1, 1))},
                membership_data={
                    "status": PoliticalStatus.CANDIDATE,
                    "application_date": dt.date(2020, 5, 1),
                    "activist_date": dt.date(2020, 6, 1),
                    "admission_date": dt.date(2021, 6, 1),
                },
            )
        assert set(err.value.message_dict) == {"candidate_date", "admission_date"}

    def test_today_is_accepted_and_tomorrow_is_not(self, world):
        today = timezone.localdate()
        assert _applicant(world.branch_a, today).application_date == today
        with pytest.raises(ValidationError) as err:
            services.member_create(
                actor=None,
                org=world.branch_a,
                person_data={"name": "未来", "id_number": id_number_for(dt.date(1990, 1, 2))},
                membership_data={
                    "status": PoliticalStatus.APPLICANT,
                    "application_date": today + dt.timedelta(days=1),
                },
            )
        assert "application_date" in err.value.message_dict
