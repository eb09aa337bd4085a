"""Activities over the API: kinds, activities (plan, change, held, cancel), attendance, check-in.

Activities are addressed by UUID `code`, people by their UUID `code`. Lists and single activities go
through the same scoped selectors as the pages; writes go through activities.services and
activities.checkin, whose errors come back as {"errors": [{"field", "message", "code"}]}.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.activities import checkin as checkin_services
from xianfeng.activities import selectors, services
from xianfeng.activities.choices import (
    ActivityStatus,
    AttendanceSource,
    AttendanceStatus,
    Audience,
    KindCategory,
    Metric,
    Quorum,
)
from xianfeng.activities.models import Activity, ActivityKind, Attendance, Decision
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.orgs.api import visible_org
from xianfeng.orgs.choices import OrgType
from xianfeng.people.models import Person


@extend_schema_field(
    {
        "type": "string",
        "description": "One of: " + ", ".join(AttendanceStatus.values) + ".",
        "example": AttendanceStatus.PRESENT,
    }
)
class AttendanceStatusInputField(serializers.ChoiceField):
    """Documented as a string: the output's `status` enum already names this choice set, and a second
    enum component for the same choices would collide with the other models' "status" enums."""


def _service_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError with its per-error codes kept (too_early, not_member, …)."""
    if not hasattr(exc, "error_dict"):
        return serializers.ValidationError(
            {
                "non_field_errors": [
                    ErrorDetail(str(next(iter(e))), code=e.code or "invalid") for e in exc.error_list
                ]
            }
        )
    return serializers.ValidationError(
        {
            field: [ErrorDetail(str(next(iter(e))), code=e.code or "invalid") for e in errors]
            for field, errors in exc.error_dict.items()
        }
    )


def _call(write: Any) -> Any:
    try:
        return write()
    except DjangoValidationError as exc:
        raise _service_errors(exc) from exc


# --- Output ------------------------------------------------------------------------------------


class ActivityKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityKind
        fields = [
            "code",
            "name",
            "category",
            "org_types",
            "audience",
            "quorum",
            "has_attendance",
            "has_agenda",
            "has_hours",
            "has_lecturer",
            "is_talk",
            "metrics",
            "builtin",
            "active",
            "order",
        ]


class PersonRefSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    name = serializers.CharField()


class OrgRefSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ActivityOrgRef"

    id = serializers.IntegerField()
    name = serializers.CharField()


class AgendaItemSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    topic = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    first_item = serializers.BooleanField()
    major_matter = serializers.CharField()
    prior_study = serializers.BooleanField()


class DecisionSerializer(serializers.Serializer):
    text = serializers.CharField()
    owner = PersonRefSerializer(allow_null=True)
    deadline = serializers.DateField(allow_null=True)


class ActivityOutputSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    kind = serializers.CharField(source="kind.code")
    kind_name = serializers.CharField(source="kind.name")
    org = OrgRefSerializer()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField(allow_null=True)
    held_start = serializers.DateTimeField(allow_null=True)
    held_end = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField()
    host = PersonRefSerializer(allow_null=True)
    recorder = PersonRefSerializer(allow_null=True)
    lecturer = PersonRefSerializer(allow_null=True)
    minutes = serializers.CharField()
    metrics = serializers.DictField(child=serializers.FloatField())
    quorum_met = serializers.BooleanField(allow_null=True, help_text="Null when the kind has no quorum rule.")
    cancel_reason = serializers.CharField()
    agenda = AgendaItemSerializer(many=True)
    decisions = DecisionSerializer(many=True)


class AttendanceSerializer(serializers.Serializer):
    person = PersonRefSerializer()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    checked_in_at = serializers.DateTimeField(allow_null=True)
    source = serializers.ChoiceField(choices=AttendanceSource.choices)  # type: ignore[assignment]


def _activities() -> Any:
    return Activity.objects.select_related("kind", "org", "host", "recorder", "lecturer").prefetch_related(
        "agenda", Prefetch("decisions", queryset=Decision.objects.select_related("owner"))
    )


def _out(activity: Activity) -> Any:
    return ActivityOutputSerializer(_activities().get(pk=activity.pk)).data


def _person(user: Any, code: Any, field: str) -> Person | None:
    """A person named in a request body: unknown and invisible are the same 400."""
    if code in (None, ""):
        return None
    person = Person.objects.restrict(user, Action.VIEW).filter(code=code).first()
    if person is None:
        raise serializers.ValidationError({field: ["Unknown person."]})
    return person


# --- Kinds -------------------------------------------------------------------------------------


def _choice_help(values: Any) -> str:
    return "One of: " + ", ".join(values) + "."


class ActivityKindInputSerializer(serializers.Serializer):
    """An enterprise kind. Choices are checked by activities.services.kinds, whose messages are returned."""

    code = serializers.CharField(max_length=40, help_text="A slug, unique among all kinds (built-in too).")
    name = serializers.CharField(max_length=60)
    category = serializers.CharField(help_text=_choice_help(KindCategory.values))
    audience = serializers.CharField(help_text=_choice_help(Audience.values))
    org_types = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Organization types that hold it (empty: any). " + _choice_help(OrgType.values),
    )
    quorum = serializers.CharField(required=False, default=Quorum.NONE, help_text=_choice_help(Quorum.values))
    has_attendance = serializers.BooleanField(required=False, default=True)
    has_agenda = serializers.BooleanField(required=False, default=False)
    has_hours = serializers.BooleanField(required=False, default=False)
    has_lecturer = serializers.BooleanField(required=False, default=False)
    is_talk = serializers.BooleanField(
        required=False, default=False, help_text="A talk records attendance and names its participants."
    )
    metrics = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text=_choice_help(Metric.values)
    )
    order = serializers.IntegerField(required=False, default=100)


class ActivityKindUpdateSerializer(ActivityKindInputSerializer):
    """Changes to a kind; a built-in kind only takes `active` and `order`."""

    active = serializers.BooleanField(required=False, help_text="False: no longer offered when planning.")


def _require_manager(user: Any) -> None:
    if not can(user, Action.MANAGE_ORGS, None):
        raise PermissionDenied


class ActivityKindListApi(generics.ListAPIView):
    """GET /activity-kinds/: the catalogue of activity kinds in use (built-in and the enterprise's own).
    POST: add an enterprise kind (committee and system admins, who manage the org tree)."""

    serializer_class = ActivityKindSerializer
    filterset_class = None

    def get_queryset(self) -> Any:
        return ActivityKind.objects.filter(active=True).order_by("order", "code")

    @extend_schema(
        operation_id="activity_kinds_create",
        request=ActivityKindInputSerializer,
        responses={201: ActivityKindSerializer},
    )
    def post(self, request: Request) -> Response:
        _require_manager(request.user)
        serializer = ActivityKindInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind = _call(lambda: services.kind_create(actor=request.user, **data))
        return Response(ActivityKindSerializer(kind).data, status=status.HTTP_201_CREATED)


class ActivityKindDetailApi(APIView):
    """GET /activity-kinds/{code}/: one kind, active or not. PATCH: change an enterprise kind, or only
    `active` and `order` of a built-in one. Kinds are deactivated (active=false), never deleted."""

    @extend_schema(operation_id="activity_kinds_retrieve", responses={200: ActivityKindSerializer})
    def get(self, request: Request, code: str) -> Response:
        return Response(ActivityKindSerializer(get_object_or_404(ActivityKind, code=code)).data)

    @extend_schema(
        operation_id="activity_kinds_partial_update",
        request=ActivityKindUpdateSerializer,
        responses={200: ActivityKindSerializer},
    )
    def patch(self, request: Request, code: str) -> Response:
        _require_manager(request.user)
        kind = get_object_or_404(ActivityKind, code=code)
        serializer = ActivityKindUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kind = _call(lambda: services.kind_update(actor=request.user, kind=kind, data=data))
        return Response(ActivityKindSerializer(kind).data)


# --- Activities --------------------------------------------------------------------------------


class ActivityListCreateApi(generics.ListAPIView):
    """GET /activities/: activities the caller may see, filtered by org subtree, kind, status, from/to.
    POST: plan an activity; the expected people follow from the kind and the membership on that date."""

    serializer_class = ActivityOutputSerializer
    filterset_class = selectors.ActivityFilterSet

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ActivityPlanInput"

        org = serializers.IntegerField()
        kind = serializers.SlugField()
        title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        planned_start = serializers.DateTimeField()
        planned_end = serializers.DateTimeField(required=False, allow_null=True, default=None)
        place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        host = serializers.UUIDField(required=False, allow_null=True)
        recorder = serializers.UUIDField(required=False, allow_null=True)
        lecturer = serializers.UUIDField(required=False, allow_null=True)
        participants = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)

    def get_queryset(self) -> Any:
        return (
            _activities()
            .filter(pk__in=selectors.visible_activities(self.request.user).values("pk"))
            .order_by("-planned_start", "-pk")
        )

    @extend_schema(
        operation_id="activities_create", request=InputSerializer, responses={201: ActivityOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        org = visible_org(request.user, data["org"], "org")
        kind = ActivityKind.objects.filter(code=data["kind"]).first()
        if kind is None:
            raise serializers.ValidationError({"kind": ["Unknown activity kind."]})
        participants = [_person(request.user, code, "participants") for code in data["participants"]]
        activity = _call(
            lambda: services.activity_plan(
                actor=request.user,
                org=org,
                kind=kind,
                title=data["title"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                place=data["place"],
                host=_person(request.user, data.get("host"), "host"),
                recorder=_person(request.user, data.get("recorder"), "recorder"),
                lecturer=_person(request.user, data.get("lecturer"), "lecturer"),
                participants=[p for p in participants if p is not None],
            )
        )
        return Response(_out(activity), status=status.HTTP_201_CREATED)


class ActivityDetailApi(APIView):
    """GET /activities/{code}/: one activity with its agenda and decisions. PATCH: title, time (while
    planned), place, host, recorder, lecturer."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ActivityUpdateInput"

        title = serializers.CharField(max_length=200, required=False, allow_blank=True)
        planned_start = serializers.DateTimeField(required=False)
        planned_end = serializers.DateTimeField(required=False, allow_null=True)
        place = serializers.CharField(max_length=200, required=False, allow_blank=True)
        host = serializers.UUIDField(required=False, allow_null=True)
        recorder = serializers.UUIDField(required=False, allow_null=True)
        lecturer = serializers.UUIDField(required=False, allow_null=True)

    @extend_schema(operation_id="activities_retrieve", responses={200: ActivityOutputSerializer})
    def get(self, request: Request, code: str) -> Response:
        return Response(_out(selectors.get_activity_for_user(request.user, code)))

    @extend_schema(
        operation_id="activities_partial_update",
        request=InputSerializer,
        responses={200: ActivityOutputSerializer},
    )
    def patch(self, request: Request, code: str) -> Response:
        activity = selectors.get_activity_for_user(request.user, code, Action.CHANGE)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for name in services.PERSON_FIELDS:
            if name in data:
                data[name] = _person(request.user, data[name], name)
        _call(lambda: services.activity_update(actor=request.user, activity=activity, data=data))
        return Response(_out(activity))


class ActivityHeldApi(APIView):
    """POST /activities/{code}/held: record that the activity took place (not in the future), with
    minutes and the kind's metrics; the quorum verdict is computed from the attendance."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ActivityHeldInput"

        held_start = serializers.DateTimeField()
        held_end = serializers.DateTimeField(required=False, allow_null=True, default=None)
        place = serializers.CharField(
            max_length=200, required=False, allow_blank=True, allow_null=True, default=None
        )
        host = serializers.UUIDField(required=False, allow_null=True)
        recorder = serializers.UUIDField(required=False, allow_null=True)
        lecturer = serializers.UUIDField(required=False, allow_null=True)
        minutes = serializers.CharField(required=False, allow_blank=True, default="")
        metrics = serializers.DictField(
            child=serializers.DecimalField(max_digits=12, decimal_places=2), required=False, default=dict
        )

    @extend_schema(
        operation_id="activities_held", request=InputSerializer, responses={200: ActivityOutputSerializer}
    )
    def post(self, request: Request, code: str) -> Response:
        activity = selectors.get_activity_for_user(request.user, code, Action.CHANGE)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _call(
            lambda: services.activity_record_held(
                actor=request.user,
                activity=activity,
                held_start=data["held_start"],
                held_end=data["held_end"],
                place=data["place"],
                host=_person(request.user, data.get("host"), "host"),
                recorder=_person(request.user, data.get("recorder"), "recorder"),
                lecturer=_person(request.user, data.get("lecturer"), "lecturer"),
                minutes=data["minutes"],
                metrics=dict(data["metrics"]),
            )
        )
        return Response(_out(activity))


class ActivityCancelApi(APIView):
    """POST /activities/{code}/cancel: cancel a planned activity, with the reason."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ActivityCancelInput"

        reason = serializers.CharField()

    @extend_schema(
        operation_id="activities_cancel", request=InputSerializer, responses={200: ActivityOutputSerializer}
    )
    def post(self, request: Request, code: str) -> Response:
        activity = selectors.get_activity_for_user(request.user, code, Action.CHANGE)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(
            lambda: services.activity_cancel(
                actor=request.user, activity=activity, reason=serializer.validated_data["reason"]
            )
        )
        return Response(_out(activity))


class ActivityAttendanceApi(APIView):
    """GET /activities/{code}/attendance: the list (a member sees only their own row).
    POST: set one person's attendance: present, leave (with reason), absent or guest; hours."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AttendanceSetInput"

        person = serializers.UUIDField()
        status = AttendanceStatusInputField(choices=AttendanceStatus.choices)
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        hours = serializers.DecimalField(
            max_digits=5, decimal_places=1, required=False, allow_null=True, default=None
        )

    @extend_schema(
        operation_id="activities_attendance_list", responses={200: AttendanceSerializer(many=True)}
    )
    def get(self, request: Request, code: str) -> Response:
        activity = selectors.get_activity_for_user(request.user, code)
        rows = (
            Attendance.objects.filter(activity=activity)
            .select_related("person")
            .order_by("person__name", "pk")
        )
        if not can(request.user, Action.VIEW, activity.org):
            person = selectors.person_of(request.user)
            rows = rows.filter(person=person) if person is not None else rows.none()
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="activities_attendance_set",
        request=InputSerializer,
        responses={200: AttendanceSerializer},
    )
    def post(self, request: Request, code: str) -> Response:
        activity = selectors.get_activity_for_user(request.user, code, Action.CHANGE)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Someone already on the list, or a person the caller may see (guests from other orgs included).
        on_list = Attendance.objects.filter(activity=activity, person__code=data["person"]).select_related(
            "person"
        )
        row_on_list = on_list.first()
        person = (
            row_on_list.person if row_on_list is not None else _person(request.user, data["person"], "person")
        )
        assert person is not None
        row = _call(
            lambda: services.attendance_set(
                actor=request.user,
                activity=activity,
                person=person,
                status=data["status"],
                reason=data["reason"],
                hours=data["hours"],
            )
        )
        return Response(AttendanceSerializer(row).data)


class CheckinOutputSerializer(serializers.Serializer):
    already = serializers.BooleanField(help_text="True for a second scan: nothing new was written.")
    attendance = AttendanceSerializer()


class ActivityCheckinApi(APIView):
    """POST /activities/checkin: the logged-in member checks in with the code and token of the QR code,
    inside the check-in window; a second scan answers already=true."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ActivityCheckinInput"

        code = serializers.UUIDField()
        token = serializers.CharField(max_length=64)

    @extend_schema(
        operation_id="activities_checkin", request=InputSerializer, responses={200: CheckinOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        activity = Activity.objects.filter(code=data["code"]).first()
        if activity is None or not checkin_services.token_matches(activity, data["token"]):
            raise serializers.ValidationError(
                {"token": [ErrorDetail("This check-in code is not valid for this activity.", code="token")]}
            )
        result = _call(
            lambda: checkin_services.checkin(actor=request.user, activity=activity, token=data["token"])
        )
        body = {"already": result.already, "attendance": result.attendance}
        return Response(CheckinOutputSerializer(body).data)


class ActivityLeaveApi(APIView):
    """POST /activities/{code}/leave: the logged-in member asks for leave, with a reason, before the start."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ActivityLeaveInput"

        reason = serializers.CharField(max_length=200)

    @extend_schema(
        operation_id="activities_leave_request",
        request=InputSerializer,
        responses={200: AttendanceSerializer},
    )
    def post(self, request: Request, code: str) -> Response:
        activity = selectors.get_activity_for_user(request.user, code)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = _call(
            lambda: checkin_services.leave_request(
                actor=request.user, activity=activity, reason=serializer.validated_data["reason"]
            )
        )
        return Response(AttendanceSerializer(row).data)
