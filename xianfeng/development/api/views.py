"""Member development over the API (/api/v1/development/…): the board, a person's steps (read,
record, void) and the plans.

Memberships and steps are addressed by their UUID `code`, organizations by id. Reads go through the
same selectors as the pages (`selectors.board`, `selectors.plan_vs_actual`); writes go through
`development.services`, whose refusals come back as {"errors": [{"field", "message", "code"}]}
with the code of the rule that refused (DEV-08…), taken from the message or else the step's rule.

Access (as the pages): VIEW to read, CHANGE to write; an org, person or step out of the caller's
sight is a 404, one seen but not changeable a 403; callers without any role (a member's self
service) are refused (403) as on the pages. A plan is addressed by its org and year, so an org out
of sight in a plan write is a 404 too. People named on a step and the approving committee may be
anyone the caller sees, or, above the person's branch, the committees and their members (the higher
committee talks and approves), as in the import.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.development import selectors, services
from xianfeng.development.api.serializers import (
    BoardSerializer,
    PlanSerializer,
    PlanTableSerializer,
    StepInputSerializer,
    StepSerializer,
    TimelineSerializer,
)
from xianfeng.development.checks import Proposed
from xianfeng.development.models import DevelopmentPlan, DevelopmentStep, StepPerson
from xianfeng.development.progress import next_steps
from xianfeng.development.steps import BY_CODE, Decision
from xianfeng.orgs.models import Org
from xianfeng.orgs.selectors import visible_roots
from xianfeng.people.models import Membership

_RULE = re.compile(r"DEV-\d+")


def staff_only(user: Any) -> None:
    """As the pages: development is for people with a role; a member's self service is refused."""
    if not can(user, Action.VIEW, None):
        raise PermissionDenied


def query_org(user: Any, raw: str | None) -> Org:
    """?org=: 404 when out of sight, 400 when malformed; by default the caller's first visible root."""
    if raw in (None, ""):
        roots = sorted(visible_roots(user), key=lambda o: o.path)
        if not roots:
            raise PermissionDenied
        return roots[0]
    try:
        pk = int(str(raw))
    except ValueError:
        raise serializers.ValidationError({"org": [_("Unknown organization.")]}) from None
    org: Org = get_for_user(Org.objects.all(), user, Action.VIEW, pk=pk)
    return org


def _steps() -> Any:
    people = StepPerson.objects.select_related("person__membership").order_by("pk")
    return DevelopmentStep.objects.select_related("approving_org").prefetch_related(
        Prefetch("people", queryset=people), "documents"
    )


def _step_out(step: DevelopmentStep) -> Any:
    return StepSerializer(_steps().get(pk=step.pk)).data


# --- The board --------------------------------------------------------------------------------------


class BoardApi(APIView):
    """GET /development/board?org=: everyone in development in the org's subtree whom the caller may
    see, with their stage and open steps, each with its deadline or earliest date (as the board page)."""

    @extend_schema(
        operation_id="development_board",
        parameters=[
            OpenApiParameter(
                "org", OpenApiTypes.INT, description="Default: the caller's first visible root."
            ),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only people with an overdue step."),
        ],
        responses={200: BoardSerializer},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        only_overdue = request.query_params.get("overdue") in ("1", "true")
        board = selectors.board(request.user, org, timezone.localdate(), only_overdue)
        body = {
            "org": org,
            "total": board.total,
            "overdue": board.overdue,
            "truncated": board.truncated,
            "people": [p for column in board.columns for p in column.people],
        }
        return Response(BoardSerializer(body).data)


# --- One person's steps -----------------------------------------------------------------------------


def _reachable(user: Any, membership: Membership) -> Q:
    """Memberships the caller may name on a step: seen by them, or members of the committees above."""
    above = [membership.org.path[:end] for end in range(Org.steplen, len(membership.org.path), Org.steplen)]
    return Q(pk__in=Membership.objects.restrict(user, Action.VIEW).values("pk")) | Q(org__path__in=above)


def _named_people(user: Any, membership: Membership, people: list[dict[str, Any]]) -> list[tuple[Any, str]]:
    codes = {p["membership"] for p in people}
    found = {
        m.code: m
        for m in Membership.objects.filter(_reachable(user, membership), code__in=codes).select_related(
            "person"
        )
    }
    errors = [{} if p["membership"] in found else {"membership": [_("Unknown membership.")]} for p in people]
    if any(errors):
        raise serializers.ValidationError({"people": errors})
    return [(found[p["membership"]], p["role"]) for p in people]


def _approving_org(user: Any, membership: Membership, pk: int | None) -> Org | None:
    if pk is None:
        return None
    org = Org.objects.filter(pk=pk).first()
    if org is None or not (membership.org.path.startswith(org.path) or can(user, Action.VIEW, org)):
        raise serializers.ValidationError({"approving_org": [_("Unknown organization.")]})
    return org


def refusal(exc: DjangoValidationError, step_code: str) -> serializers.ValidationError:
    """A service refusal with each message's rule as its code: the one the message cites, else (for a
    field of the step) the step's rule; errors about the record as a whole are "invalid"."""
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(NON_FIELD_ERRORS, exc.messages)]
    step_rule = BY_CODE[step_code].rule if step_code in BY_CODE else "invalid"
    detail: dict[str, list[ErrorDetail]] = {}
    for field, messages in pairs:
        name = "non_field_errors" if field == NON_FIELD_ERRORS else field
        for message in messages:
            fallback = "invalid" if field == NON_FIELD_ERRORS else step_rule
            found = _RULE.search(message)
            code = found.group(0) if found else fallback
            detail.setdefault(name, []).append(ErrorDetail(message, code))
    return serializers.ValidationError(detail)


class MembershipStepsApi(APIView):
    """GET /development/memberships/{code}/steps: the person's steps (voided ones included) and what is
    open next. POST: record a step (development.services.step_record), checked against the rules in
    force on its date; a refusal is a 400 naming the field and, as its code, the rule."""

    @extend_schema(operation_id="development_steps_list", responses={200: TimelineSerializer})
    def get(self, request: Request, code: str) -> Response:
        staff_only(request.user)
        qs = Membership.objects.select_related("person", "org")
        membership = get_for_user(qs, request.user, Action.VIEW, code=code)
        steps = list(_steps().filter(membership=membership).order_by("date", "id"))
        valid = [s for s in steps if not s.voided]
        body = {"membership": membership, "steps": steps, "next_steps": next_steps(membership, valid)}
        return Response(TimelineSerializer(body).data)

    @extend_schema(
        operation_id="development_steps_record", request=StepInputSerializer, responses={201: StepSerializer}
    )
    def post(self, request: Request, code: str) -> Response:
        staff_only(request.user)
        qs = Membership.objects.select_related("person", "org")
        membership = get_for_user(qs, request.user, Action.CHANGE, code=code)
        serializer = StepInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        step = BY_CODE[data["code"]]
        people = _named_people(request.user, membership, data.pop("people"))
        data["approving_org"] = _approving_org(request.user, membership, data.get("approving_org"))
        data.setdefault("decision", step.decisions[0] if step.decisions else Decision.DONE)
        note = data.pop("note")
        proposed = Proposed(people=people, **data)
        try:
            recorded = services.step_record(
                actor=request.user, membership=membership, proposed=proposed, note=note
            )
        except DjangoValidationError as exc:
            raise refusal(exc, step.code) from exc
        return Response(_step_out(recorded), status=status.HTTP_201_CREATED)


class StepVoidApi(APIView):
    """POST /development/steps/{code}/void: void a wrongly recorded step, with the reason (only the
    person's latest step, and not one that moved their status)."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DevelopmentStepVoidInput"

        reason = serializers.CharField()

    @extend_schema(
        operation_id="development_steps_void", request=InputSerializer, responses={200: StepSerializer}
    )
    def post(self, request: Request, code: str) -> Response:
        staff_only(request.user)
        qs = DevelopmentStep.objects.select_related("membership__org", "membership__person")
        step = get_for_user(qs, request.user, Action.CHANGE, code=code)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.step_void(actor=request.user, step=step, reason=serializer.validated_data["reason"])
        except DjangoValidationError as exc:
            raise refusal(exc, "") from exc
        return Response(_step_out(step))


# --- Plans ----------------------------------------------------------------------------------------------


def year_param(raw: str | None) -> int:
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        year = int(str(raw))
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise serializers.ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
    return year


class PlansApi(APIView):
    """GET /development/plans?org=&year=: the year's quota (DEV-21) of the org and of each org below it
    against the people accepted and converted (as the plan page). POST: set the quota of an org for a
    year (development.services.plan_set), by whoever may change the org's parent; 201 when created,
    200 when replaced."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DevelopmentPlanInput"

        org = serializers.IntegerField()
        year = serializers.IntegerField()
        quota = serializers.IntegerField()
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="development_plans",
        parameters=[
            OpenApiParameter(
                "org", OpenApiTypes.INT, description="Default: the caller's first visible root."
            ),
            OpenApiParameter("year", OpenApiTypes.INT, description="Default: this year."),
        ],
        responses={200: PlanTableSerializer},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        year = year_param(request.query_params.get("year"))
        org = query_org(request.user, request.query_params.get("org"))
        return Response(PlanTableSerializer(selectors.plan_vs_actual(org, year)).data)

    @extend_schema(
        operation_id="development_plans_set",
        request=InputSerializer,
        responses={200: PlanSerializer, 201: PlanSerializer},
    )
    def post(self, request: Request) -> Response:
        staff_only(request.user)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org: Org = get_for_user(Org.objects.all(), request.user, Action.VIEW, pk=data.pop("org"))
        existed = DevelopmentPlan.objects.filter(org=org, year=data["year"]).exists()
        plan = services.plan_set(actor=request.user, org=org, **data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(PlanSerializer(plan).data, status=code)
