"""Age and party-age bands are counted in the database with the same whole-year rule as Python."""

import datetime as dt

from dateutil.relativedelta import relativedelta

from xianfeng.dashboards.selectors import dashboard
from xianfeng.orgs.choices import OrgType
from xianfeng.testing import make_member, make_org

TODAY = dt.date(2026, 3, 14)


def _bands(rows):
    return {row["key"]: row["count"] for row in rows if row["count"]}


def test_it_puts_birthdays_on_the_band_edges_in_the_right_band(world):
    branch = make_org(world.general_branch, OrgType.BRANCH)
    for years, days in [(30, 0), (31, 0), (31, -1), (60, 0), (61, 0), (41, -1)]:
        make_member(branch, birth_date=TODAY - relativedelta(years=years) - dt.timedelta(days=days))
    data = dashboard(world.admin, TODAY)
    scoped = {row["key"]: row["count"] for row in data.by_age}
    # world: born 1985-06-15 (40), 1990-02-03 (36), 1992-08-08 (33); then 30, 31, 30, 60, 61, 40
    assert scoped == {"le30": 2, "31_40": 5, "41_50": 0, "51_60": 1, "gt60": 1}


def test_it_counts_party_age_from_the_conversion_date(world):
    branch = make_org(world.general_branch, OrgType.BRANCH)
    for converted_years_ago in (0, 5, 9, 10, 29, 30):
        admission = TODAY - relativedelta(years=converted_years_ago + 1)
        make_member(branch, admission_date=admission, birth_date=dt.date(1950, 1, 1))
    make_member(branch, status="probationary", admission_date=TODAY - relativedelta(months=3))
    data = dashboard(world.admin, TODAY)
    # world members were converted in 2011, 2016 and 2018 (birth + 26 years)
    assert _bands(data.by_party_age) == {"lt5": 1, "5_10": 3, "10_20": 3, "20_30": 1, "ge30": 1}
    assert data.party_age_unknown == 1
