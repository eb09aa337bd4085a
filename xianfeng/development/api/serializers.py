"""Serializers of the development API (api/views.py): what the board, a timeline and the plans read,
and what recording a step takes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xianfeng.development import selectors, services
from xianfeng.development.models import DevelopmentPlan, DevelopmentStep, StepDocument, StepPerson
from xianfeng.development.steps import BY_CODE, STEPS, Decision, Role
from xianfeng.people.api import OrgRefSerializer
from xianfeng.people.choices import PoliticalStatus


def one_of(values: Any) -> str:
    return "One of: " + ", ".join(str(v) for v in values) + "."


@extend_schema_field(OpenApiTypes.STR)
class _Choice(serializers.ChoiceField):
    """A choice documented as a string with its values in the description (no enum components to
    collide with other apps' `status`, `role` and `decision`)."""


def _choice(choices: Any, **kwargs: Any) -> _Choice:
    kwargs.setdefault("help_text", one_of(c[0] for c in choices))
    return _Choice(choices=choices, **kwargs)


# --- Output ---------------------------------------------------------------------------------------


class MembershipRefSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentMembershipRef"

    code = serializers.UUIDField()
    name = serializers.CharField(source="person.name")
    org = OrgRefSerializer()
    status = serializers.CharField(help_text=one_of(PoliticalStatus.values))  # type: ignore[assignment]


class NextStepSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentNextStep"

    step = serializers.CharField(source="step.code", help_text="The step's code (steps.py).")
    number = serializers.IntegerField(
        source="step.number", help_text="1–25 in the standard chart; 0 for the thought-report reminder."
    )
    label = serializers.CharField(source="step.label")  # type: ignore[assignment]
    stage = serializers.IntegerField(source="step.stage")
    due = serializers.DateField(allow_null=True, help_text="Deadline: overdue after it.")
    earliest = serializers.DateField(allow_null=True, help_text="Not allowed before it.")
    level = serializers.CharField(required=False, help_text="overdue, soon, later, wait or open.")
    text = serializers.CharField(required=False, help_text="What the date means today.")
    rule = serializers.CharField(help_text="The rule: DEV-08.")


class BoardPersonSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentBoardPerson"

    membership = MembershipRefSerializer()
    stage = serializers.IntegerField(help_text="1 application … 5 probation (4: all candidate steps done).")
    stage_label = serializers.CharField(source="stage.label")
    overdue = serializers.BooleanField()
    next_steps = NextStepSerializer(source="next", many=True)


class BoardSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentBoard"

    org = OrgRefSerializer()
    total = serializers.IntegerField(help_text="People in development in the subtree.")
    overdue = serializers.IntegerField(help_text="People with an overdue step.")
    truncated = serializers.BooleanField(
        help_text=f"More than {selectors.MAX_BOARD} people: choose a lower org."
    )
    people = BoardPersonSerializer(many=True)


class StepPersonSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentStepPerson"

    membership = serializers.SerializerMethodField()
    name = serializers.CharField(source="person.name")
    role = serializers.CharField(help_text=one_of(Role.values))

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_membership(self, obj: StepPerson) -> str | None:
        membership = getattr(obj.person, "membership", None)
        return str(membership.code) if membership is not None else None


class StepDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = StepDocument
        ref_name = "DevelopmentStepDocument"
        fields = ["id", "name", "content_type", "size", "uploaded_at"]


class StepSerializer(serializers.ModelSerializer):
    step = serializers.CharField(help_text="The step's code (steps.py).")
    number = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    stage = serializers.SerializerMethodField()
    decision = serializers.CharField(help_text=one_of(Decision.values))
    approving_org = OrgRefSerializer(allow_null=True)
    people = StepPersonSerializer(many=True)
    documents = StepDocumentSerializer(
        many=True, read_only=True, help_text="Files kept with the step (downloaded from the person's page)."
    )

    class Meta:
        model = DevelopmentStep
        ref_name = "DevelopmentStep"
        fields = [
            "code",
            "step",
            "number",
            "label",
            "stage",
            "date",
            "decision",
            *services.STEP_FIELDS,
            "note",
            "people",
            "documents",
            "voided",
            "void_reason",
            "created",
        ]

    def get_number(self, obj: DevelopmentStep) -> int:
        return BY_CODE[obj.step].number

    def get_label(self, obj: DevelopmentStep) -> str:
        return str(BY_CODE[obj.step].label)

    def get_stage(self, obj: DevelopmentStep) -> int:
        return int(BY_CODE[obj.step].stage)


class TimelineSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentTimeline"

    membership = MembershipRefSerializer()
    steps = StepSerializer(many=True, help_text="Every step, voided ones included, oldest first.")
    next_steps = NextStepSerializer(many=True)


class PersonRefSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentPersonRef"

    membership = serializers.UUIDField(help_text="The code of the person's membership.")
    role = _choice(Role.choices)


class StepInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentStepInput"

    code = _choice([(s.code, s.label) for s in STEPS])
    date = serializers.DateField()
    decision = _choice(
        Decision.choices, required=False, help_text="Default: the step's first. " + one_of(Decision.values)
    )
    people = PersonRefSerializer(many=True, required=False, default=list)
    should_attend = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    present = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    written_opinions = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    votes_for = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    votes_against = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    abstentions = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    training_days = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, required=False, allow_null=True
    )
    training_hours = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    leaving_within_3_months = serializers.BooleanField(required=False, default=False)
    extension_months = serializers.IntegerField(min_value=0, max_value=24, required=False, allow_null=True)
    approving_org = serializers.IntegerField(
        required=False, allow_null=True, help_text="The committee's org id."
    )
    delay_reason = serializers.CharField(required=False, allow_blank=True, default="")
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Plans ----------------------------------------------------------------------------------------------


class PlanRowSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentPlanRow"

    org = OrgRefSerializer()
    own = serializers.BooleanField(help_text="The org's own people, not a child's subtree.")
    quota = serializers.IntegerField(allow_null=True, help_text="The child's plan for the year, if set.")
    note = serializers.CharField(source="plan.note", default="")
    accepted = serializers.IntegerField(help_text="Approved as probationary members in the year (step 17).")
    converted = serializers.IntegerField(help_text="Conversions approved in the year (step 24).")
    percent = serializers.IntegerField(allow_null=True, help_text="Accepted ÷ quota, in %.")


class PlanTableSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentPlanTable"

    org = OrgRefSerializer()
    year = serializers.IntegerField()
    quota = serializers.IntegerField(source="own_plan.quota", default=None, allow_null=True)
    note = serializers.CharField(source="own_plan.note", default="")
    quota_total = serializers.IntegerField(help_text="The children's quotas added up.")
    accepted = serializers.IntegerField()
    converted = serializers.IntegerField()
    rows = PlanRowSerializer(many=True)


class PlanSerializer(serializers.ModelSerializer):
    org = OrgRefSerializer(read_only=True)

    class Meta:
        model = DevelopmentPlan
        ref_name = "DevelopmentPlan"
        fields = ["org", "year", "quota", "note"]
