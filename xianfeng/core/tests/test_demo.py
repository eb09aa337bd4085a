"""`xianfeng demo`: a realistic committee, valid by the rules, audited, with five working accounts."""

from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from xianfeng.core.models import AuditEvent, RoleGrant
from xianfeng.core.roles import Action, Role
from xianfeng.core.scoping import can
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import rules
from xianfeng.people.choices import LeaveReason, MembershipEventKind, PoliticalStatus, Post
from xianfeng.people.models import Membership, MembershipEvent, Person, PostHolding
from xianfeng.testing import DEMO_PASSWORD

DEMO_ACCOUNTS = ("admin", "dangwei", "zhibu", "dangyuan", "jijian", "dangjianbu", "jiwei")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class TestDemoCommittee(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("demo", stdout=cls.output)
        cls.today = timezone.localdate()
        cls.root = Org.objects.get(depth=1)
        cls.chengdong = Org.objects.get(name="城东供电所党支部")

    def test_the_tree_is_a_city_company_committee_with_two_general_branches_and_thirteen_branches(self):
        assert self.root.name == "国网临江市供电公司党委"
        assert Org.objects.count() == 1 + 2 + 13 + Org.objects.filter(org_type=OrgType.PARTY_GROUP).count()
        assert Org.objects.filter(org_type=OrgType.GENERAL_BRANCH, depth=2).count() == 2
        assert Org.objects.filter(org_type=OrgType.BRANCH).count() == 13
        for branch in Org.objects.filter(org_type=OrgType.BRANCH):
            groups = branch.get_children().filter(org_type=OrgType.PARTY_GROUP).count()
            assert 1 <= groups <= 3, branch
        assert Org.find_problems() == ([], [], [], [], [])

    def test_terms_are_five_years_for_the_committee_and_three_for_branches_with_some_due(self):
        assert self.root.term_years == 5
        branches = Org.objects.filter(org_type__in=[OrgType.BRANCH, OrgType.GENERAL_BRANCH])
        assert set(branches.values_list("term_years", flat=True)) == {3}
        soon = self.today + relativedelta(months=6)
        assert branches.filter(term_end__lt=self.today).count() == 1
        assert branches.filter(term_end__gte=self.today, term_end__lte=soon).count() >= 2

    def test_about_three_hundred_people_across_all_five_statuses_mostly_full_members(self):
        assert 280 <= Person.objects.count() <= 320
        current = Membership.objects.current()
        counts = {status: current.filter(status=status).count() for status in PoliticalStatus.values}
        assert all(counts.values()), counts
        assert counts[PoliticalStatus.FULL] > sum(counts.values()) / 2
        ages = [person.age_on(self.today) for person in Person.objects.all()]
        assert min(ages) >= 22 and max(ages) <= 75
        retirees = Membership.objects.filter(org__name="离退休党支部")
        assert all(m.person.age_on(self.today) >= 55 for m in retirees.select_related("person"))
        assert Person.objects.exclude(ethnicity="01").exists()

    def test_every_record_satisfies_the_validation_rules(self):
        for membership in Membership.objects.select_related("person", "org", "party_group"):
            person = membership.person
            assert rules.person_errors(person, today=self.today) == {}, person
            assert rules.membership_errors(membership, person, today=self.today) == {}, person
            assert membership.party_group is not None

    def test_each_branch_has_a_secretary_and_each_group_a_leader_with_some_history(self):
        current = PostHolding.objects.current()
        for branch in Org.objects.filter(
            org_type__in=[OrgType.BRANCH, OrgType.GENERAL_BRANCH, OrgType.COMMITTEE]
        ):
            assert current.filter(org=branch, post=Post.SECRETARY).count() == 1, branch
        for group in Org.objects.filter(org_type=OrgType.PARTY_GROUP):
            assert current.filter(org=group, post=Post.GROUP_LEADER).count() == 1, group
        assert current.filter(org=self.root, post=Post.DISCIPLINE_MEMBER).exists()
        assert PostHolding.objects.filter(end_date__isnull=False, post=Post.SECRETARY).count() >= 2
        holders = current.values_list("person__membership__status", flat=True)
        assert set(holders) == {PoliticalStatus.FULL}

    def test_transfers_and_people_who_left_are_kept_as_history(self):
        assert MembershipEvent.objects.filter(kind=MembershipEventKind.TRANSFER).count() >= 3
        assert MembershipEvent.objects.filter(kind=MembershipEventKind.STATUS).exists()
        left = Membership.objects.filter(left_date__isnull=False)
        assert set(left.values_list("left_reason", flat=True)) == {
            LeaveReason.DEATH,
            LeaveReason.TRANSFER_OUT,
        }

    def test_every_write_is_audited_as_the_system(self):
        events = AuditEvent.objects.all()
        assert events.filter(action="org.create").count() == Org.objects.count()
        assert events.filter(action="person.create").count() == Person.objects.count()
        assert events.filter(action="post.assign").count() == PostHolding.objects.count()
        assert events.filter(action="membership.transfer").exists()
        assert events.filter(action="membership.leave").exists()
        # the org tree and the members are written by the system; later modules' demos act as the demo
        # accounts where their rules need a person (an approver other than the maker, a signer)
        members = events.filter(action__in=["org.create", "person.create", "post.assign", "membership.leave"])
        assert set(members.values_list("actor_name", flat=True)) == {"system"}
        assert set(events.values_list("actor_name", flat=True)) <= {"system", *DEMO_ACCOUNTS}
        assert set(events.values_list("source", flat=True)) == {"command"}

    def test_the_demo_accounts_have_their_grants_and_linked_people(self):
        users = {user.username: user for user in get_user_model().objects.all()}
        assert set(users) == set(DEMO_ACCOUNTS)
        assert users["admin"].is_superuser
        grants = {(g.user.username, g.role, g.org_id) for g in RoleGrant.objects.select_related("user")}
        assert grants == {
            ("admin", Role.SYSTEM_ADMIN, self.root.pk),
            ("dangwei", Role.COMMITTEE_ADMIN, self.root.pk),
            ("zhibu", Role.BRANCH_ADMIN, self.chengdong.pk),
            ("dangyuan", Role.MEMBER, self.chengdong.pk),
            ("jijian", Role.DISCIPLINE_OFFICER, self.root.pk),
            # the two department evaluators of the six-dimension branch assessment (scoring demo)
            ("dangjianbu", Role.VIEWER, self.root.pk),
            ("jiwei", Role.VIEWER, self.root.pk),
        }
        secretary = PostHolding.objects.current().get(org=self.chengdong, post=Post.SECRETARY).person
        assert users["zhibu"].person == secretary
        member = users["dangyuan"].person
        assert member.membership.org == self.chengdong and not member.posts.exists()
        assert list(Membership.objects.restrict(users["dangyuan"])) == [member.membership]
        chengxi = Org.objects.get(name="城西供电所党支部")
        assert can(users["zhibu"], Action.CHANGE, self.chengdong)
        assert not can(users["zhibu"], Action.VIEW, chengxi)
        assert can(users["jijian"], Action.AUDIT, chengxi) and not can(
            users["jijian"], Action.CHANGE, chengxi
        )
        assert (
            Membership.objects.restrict(users["dangwei"], Action.CHANGE).count() == Membership.objects.count()
        )

    def test_the_demo_accounts_log_in_with_the_demo_password(self):
        for username in DEMO_ACCOUNTS:
            self.client.logout()
            response = self.client.post(
                "/login/", {"username": username, "password": DEMO_PASSWORD, "next": "/healthz"}
            )
            assert response.status_code == 302, username
            assert self.client.session.get("_auth_user_id") == str(
                get_user_model().objects.get(username=username).pk
            )
        assert "Demo@2026" in self.output.getvalue()

    def test_if_empty_is_a_no_op_on_a_loaded_database_and_a_plain_run_refuses(self):
        before = (Org.objects.count(), Person.objects.count(), AuditEvent.objects.count())
        out = StringIO()
        call_command("demo", "--if-empty", stdout=out)
        assert "not loaded" in out.getvalue()
        assert (Org.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before
        with pytest.raises(CommandError, match="already has organizations"):
            call_command("demo", stdout=StringIO())


@pytest.mark.django_db
def test_a_taken_demo_user_name_makes_the_command_refuse_without_writing():
    get_user_model().objects.create_user("admin", password="x")
    with pytest.raises(CommandError, match="admin"):
        call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue() and not Org.objects.exists()


@pytest.mark.django_db
def test_the_demo_is_the_same_on_every_run():
    from xianfeng import demo

    runs = []
    for _ in range(2):
        with transaction.atomic():
            result = demo.build_demo()
            runs.append(
                [(m.person.name, m.person.birth_date, m.status, m.org.name) for m in result.memberships]
            )
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert len({name for name, *_ in runs[0]}) == len(runs[0])  # no two people share a name
