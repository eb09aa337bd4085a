import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xianfeng.people import idcard

# A published sample number with a valid check digit (GB 11643 appendix style).
VALID = "11010519491231002X"


class TestIdNumberParsing:
    def test_it_accepts_a_valid_number_and_reads_birth_date_and_gender(self):
        parsed = idcard.parse(VALID)
        assert parsed.birth_date == dt.date(1949, 12, 31)
        assert parsed.gender == "female"  # 17th digit 2 is even

    def test_it_accepts_lower_case_x_and_spaces(self):
        assert idcard.parse(" 11010519491231002x ").value == VALID

    def test_it_rejects_a_wrong_check_digit(self):
        with pytest.raises(idcard.IdNumberError, match="check digit"):
            idcard.parse("110105194912310021")

    @pytest.mark.parametrize("raw", ["", "1101051949123100", "11010519491231002XX", "A1010519491231002X"])
    def test_it_rejects_a_wrong_shape(self, raw):
        with pytest.raises(idcard.IdNumberError):
            idcard.parse(raw)

    def test_it_rejects_an_impossible_birth_date(self):
        first17 = "11010519490230002"  # 30 February
        with pytest.raises(idcard.IdNumberError, match="birth date"):
            idcard.parse(first17 + idcard.check_char(first17))

    def test_it_rejects_an_unknown_province(self):
        first17 = "99010519491231002"
        with pytest.raises(idcard.IdNumberError, match="province"):
            idcard.parse(first17 + idcard.check_char(first17))

    def test_birth_date_boundary_today_is_valid_tomorrow_is_not(self):
        today = dt.date(2026, 11, 21)
        born_today = idcard.generate(region="320102", birth_date=today, gender="male", sequence=1)
        born_tomorrow = idcard.generate(
            region="320102", birth_date=today + dt.timedelta(days=1), gender="male", sequence=1
        )
        assert idcard.parse(born_today, today=today).birth_date == today
        with pytest.raises(idcard.IdNumberError):
            idcard.parse(born_tomorrow, today=today)

    def test_masking_keeps_region_and_last_four(self):
        assert idcard.mask(VALID) == "110105********002X"


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    gender=st.sampled_from(["male", "female"]),
    sequence=st.integers(min_value=0, max_value=499),
)
def test_generated_numbers_round_trip(birth, gender, sequence):
    number = idcard.generate(region="440305", birth_date=birth, gender=gender, sequence=sequence)
    parsed = idcard.parse(number)
    assert (parsed.birth_date, parsed.gender) == (birth, gender)


@given(
    birth=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2005, 12, 31)),
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_typo_is_caught(birth, position, delta):
    """MOD 11-2 detects every single-digit substitution: the point of the check digit."""
    number = idcard.generate(region="440305", birth_date=birth, gender="male", sequence=7)
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(idcard.IdNumberError):
        idcard.parse(typo)
