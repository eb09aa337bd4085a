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


def test_refreshing_the_catalogue_keeps_an_enterprises_active_and_order_choices(db):
    from xianfeng.activities.catalogue import load_builtin_kinds

    ActivityKind.objects.filter(code="talk").update(active=False, order=999, name="改过的名字")
    load_builtin_kinds(ActivityKind)
    talk = ActivityKind.objects.get(code="talk")
    assert (talk.active, talk.order) == (False, 999)  # the enterprise's choice stays
    assert talk.name == "谈心谈话"  # the national definition is restored
