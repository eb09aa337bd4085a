from xianfeng.activities.catalogue import builtin_kinds
from xianfeng.activities.choices import Audience, KindCategory, Metric, Quorum
from xianfeng.activities.models import ActivityKind
from xianfeng.orgs.choices import OrgType


def test_every_builtin_kind_is_in_the_database_after_migrating(db):
    assert set(ActivityKind.objects.filter(builtin=True).values_list("code", flat=True)) == {
        row["code"] for row in builtin_kinds()
    }


def test_the_catalogue_uses_only_known_values():
    for row in builtin_kinds():
        assert row["category"] in KindCategory.values
        assert row["audience"] in Audience.values
        assert row["quorum"] in Quorum.values
        assert set(row["org_types"]) <= set(OrgType.values)
        assert set(row["metrics"]) <= set(Metric.values)


def test_the_three_meetings_and_one_lecture_are_there(db):
    names = dict(ActivityKind.objects.values_list("code", "name"))
    assert names["general_meeting"] == "支部党员大会"
    assert names["committee_meeting"] == "支部委员会会议"
    assert names["group_meeting"] == "党小组会"
    assert names["party_lecture"] == "党课"
