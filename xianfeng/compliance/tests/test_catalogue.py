from xianfeng.compliance.catalogue import NATIONAL_FILE, read_profile
from xianfeng.compliance.models import Obligation, RuleLevel, SubjectKind
from xianfeng.compliance.periods import PeriodKind
from xianfeng.orgs.choices import OrgType
from xianfeng.people.choices import Post


def test_the_national_profile_is_loaded_by_the_migrations(db):
    codes = {row["code"] for row in read_profile(NATIONAL_FILE)["obligations"]}
    assert set(Obligation.objects.filter(profile__code="national").values_list("code", flat=True)) == codes


def test_every_obligation_cites_its_source_and_counts_known_kinds(db):
    for obligation in Obligation.objects.prefetch_related("kinds"):
        assert obligation.citation and obligation.rule_ref
        assert obligation.kinds.exists()
        assert obligation.min_count >= 1
        assert obligation.period in PeriodKind.values
        assert obligation.level in RuleLevel.values
        assert set(obligation.org_types) <= set(OrgType.values)
        assert set(obligation.posts) <= set(Post.values)
        if obligation.subject == SubjectKind.POST_HOLDER:
            assert obligation.posts


def test_the_three_meetings_one_lecture_frequencies_match_the_branch_regulations(db):
    by_ref = {
        o.rule_ref + ":" + o.period: o.min_count for o in Obligation.objects.filter(level=RuleLevel.NATIONAL)
    }
    assert by_ref["BR-09:quarter"] == 1  # general meeting
    assert by_ref["BR-10:month"] == 1  # committee meeting
    assert by_ref["BR-11:month"] == 1  # group meeting
    assert by_ref["BR-13:month"] == 1  # theme day
    assert by_ref["BR-14:year"] == 1  # organizational-life meeting
