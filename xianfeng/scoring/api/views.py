"""The scoring API views (see the package docstring for the access rules)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership
from xianfeng.scoring import closing, services
from xianfeng.scoring.api.serializers import (
    EntrySerializer,
    ResultSerializer,
    SchemeDetailSerializer,
    SchemeSerializer,
)
from xianfeng.scoring.choices import PeriodState, Visibility
from xianfeng.scoring.models import Entry, Item, Period, Result, Scheme
from xianfeng.scoring.selectors import schemes_for


def _period(user: Any, pk: int) -> Period:
    period = Period.objects.select_related("scheme__org").filter(pk=pk, scheme__in=schemes_for(user)).first()
    if period is None:
        raise Http404
    return period


def _period_for_member(user: Any, pk: int) -> Period:
    """A period the caller sees as staff, or one of a scheme with a result of theirs."""
    period = Period.objects.select_related("scheme__org").filter(pk=pk).first()
    if period is None:
        raise Http404
    staff = schemes_for(user).filter(pk=period.scheme_id).exists()
    if (
        not staff
        and not Result.objects.filter(period=period, membership__person__user_id=user.pk or 0).exists()
    ):
        raise Http404
    return period


class SchemeListApi(generics.ListAPIView):
    """GET /scoring/schemes/: schemes of orgs in or above the caller's subtrees; ?year=."""

    serializer_class = SchemeSerializer

    def get_queryset(self) -> QuerySet[Scheme]:
        qs = schemes_for(self.request.user).order_by("-year", "name", "pk")
        year = self.request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise ApiValidationError({"year": "Enter a year."})
            qs = qs.filter(year=int(year))
        return qs


class SchemeDetailApi(generics.RetrieveAPIView):
    """GET /scoring/schemes/<id>/: settings, dimensions with their catalogue, and periods."""

    serializer_class = SchemeDetailSerializer

    def get_queryset(self) -> QuerySet[Scheme]:
        return schemes_for(self.request.user).prefetch_related("dimensions__items", "periods")


class EntryListCreateApi(generics.ListAPIView):
    """GET /scoring/entries/?period=: entries in the caller's scope plus their own.
    POST: a manual entry awaiting approval by someone else (scoring.services.entry_create)."""

    serializer_class = EntrySerializer

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ScoringEntryInput"

        period = serializers.IntegerField()
        item = serializers.IntegerField()
        membership = serializers.UUIDField(required=False, allow_null=True, default=None)
        subject_org = serializers.IntegerField(required=False, allow_null=True, default=None)
        points = serializers.DecimalField(
            max_digits=8, decimal_places=2, required=False, allow_null=True, default=None
        )
        note = serializers.CharField()

    def get_queryset(self) -> QuerySet[Entry]:
        qs = (
            Entry.objects.restrict(self.request.user, Action.VIEW)
            .select_related("dimension", "item", "membership", "entered_by", "approved_by")
            .order_by("period", "pk")
        )
        period = self.request.query_params.get("period")
        if period:
            if not period.isdigit():
                raise ApiValidationError({"period": "Enter a period id."})
            qs = qs.filter(period_id=int(period))
        return qs

    @extend_schema(
        operation_id="scoring_entries_create", request=InputSerializer, responses={201: EntrySerializer}
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        period = Period.objects.filter(pk=v["period"], scheme__in=schemes_for(request.user)).first()
        if period is None:
            raise ApiValidationError({"period": "Unknown period."})
        item = (
            Item.objects.filter(pk=v["item"], dimension__scheme=period.scheme)
            .select_related("dimension")
            .first()
        )
        if item is None:
            raise ApiValidationError({"item": "Unknown item of this scheme."})
        subject: Org | Membership | None
        if v["membership"] is not None:
            subject = (
                Membership.objects.restrict(request.user)
                .select_related("org")
                .filter(code=v["membership"])
                .first()
            )
        else:
            subject = (
                Org.objects.restrict(request.user).filter(pk=v["subject_org"]).first()
                if v["subject_org"]
                else None
            )
        if subject is None:
            raise ApiValidationError({"subject": "Name a membership or an organization you can see."})
        entry = services.entry_create(
            actor=request.user,
            period=period,
            dimension=item.dimension,
            item=item,
            subject=subject,
            points=v["points"],
            note=v["note"],
        )
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryDecisionApi(APIView):
    """POST /scoring/entries/<id>/approve or /reject {"reason"}: by someone other than the maker."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ScoringDecisionInput"

        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="scoring_entries_decide", request=InputSerializer, responses={200: EntrySerializer}
    )
    def post(self, request: Request, pk: int, decision: str) -> Response:
        if decision not in ("approve", "reject"):
            raise Http404
        entry: Entry = get_for_user(Entry.objects.all(), request.user, Action.CHANGE, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if decision == "approve":
            entry = services.entry_approve(actor=request.user, entry=entry)
        else:
            entry = services.entry_reject(
                actor=request.user, entry=entry, reason=data.validated_data["reason"]
            )
        return Response(EntrySerializer(entry).data)


class CellApi(APIView):
    """POST /scoring/periods/<id>/cells {"dimension", "subject", "points", "version"}: one grid cell,
    saved only if still at `version` (0 when empty); 409 with the current cell otherwise."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ScoringCellInput"

        dimension = serializers.CharField()
        subject = serializers.CharField(help_text="Organization id, or membership code for person schemes.")
        points = serializers.DecimalField(max_digits=8, decimal_places=2)
        version = serializers.IntegerField(min_value=0)

    @extend_schema(
        operation_id="scoring_cells_save", request=InputSerializer, responses={200: EntrySerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        period = _period(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        dimension = period.scheme.dimensions.filter(code=v["dimension"]).select_related("scheme__org").first()
        if dimension is None:
            raise ApiValidationError({"dimension": "Unknown dimension of this scheme."})
        subject: Org | Membership | None
        try:
            if period.scheme.is_person_scheme:
                subject = Membership.objects.select_related("org").filter(code=v["subject"]).first()
            else:
                subject = Org.objects.filter(pk=int(v["subject"])).first()
        except (ValueError, DjangoValidationError):  # a malformed code or id names no subject
            subject = None
        if subject is None:
            raise ApiValidationError({"subject": "Unknown subject."})
        try:
            entry = services.cell_save(
                actor=request.user,
                period=period,
                dimension=dimension,
                subject=subject,
                points=v["points"],
                version=v["version"],
            )
        except services.Conflict as exc:
            current = EntrySerializer(exc.current).data if exc.current is not None else None
            return Response(
                {
                    "errors": [{"field": "version", "message": " ".join(exc.messages), "code": "conflict"}],
                    "current": current,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(EntrySerializer(entry).data)


class PeriodCloseApi(APIView):
    """POST /scoring/periods/<id>/close {"action": compute|lock|publish|reopen, "reason"}."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ScoringCloseInput"

        action = serializers.ChoiceField(choices=["compute", "lock", "publish", "reopen"])
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="scoring_periods_close", request=InputSerializer, responses={200: None})
    def post(self, request: Request, pk: int) -> Response:
        period = _period(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = data.validated_data["action"]
        if not can(request.user, Action.CHANGE, period.scheme.org):
            raise PermissionDenied
        if action == "compute":
            closing.period_compute(actor=request.user, period=period)
        elif action == "lock":
            closing.period_lock(actor=request.user, period=period)
        elif action == "publish":
            closing.period_publish(actor=request.user, period=period)
        else:
            closing.period_reopen(actor=request.user, period=period, reason=data.validated_data["reason"])
        period.refresh_from_db()
        return Response({"id": period.pk, "state": period.state})


class ResultListApi(generics.ListAPIView):
    """GET /scoring/periods/<id>/results/: results in the caller's scope (their own once published)."""

    serializer_class = ResultSerializer
    queryset = Result.objects.none()  # for the schema; get_queryset scopes the real one

    def get_queryset(self) -> QuerySet[Result]:
        if "pk" not in self.kwargs:  # the schema generator's fake view
            return Result.objects.none()
        period = _period_for_member(self.request.user, self.kwargs["pk"])
        qs = Result.objects.restrict(self.request.user, Action.VIEW).filter(period=period)
        staff = schemes_for(self.request.user).filter(pk=period.scheme_id).exists()
        if not staff and period.state != PeriodState.PUBLISHED:
            return qs.none()
        return qs.select_related("membership").order_by("rank", "subject_name", "pk")


class RankingApi(generics.ListAPIView):
    """GET /scoring/periods/<id>/ranking/: staff see their scope; a member sees, once published, the
    whole ranking, their own position or nothing, as the scheme's visibility says."""

    serializer_class = ResultSerializer
    queryset = Result.objects.none()  # for the schema; get_queryset scopes the real one

    def get_queryset(self) -> QuerySet[Result]:
        if "pk" not in self.kwargs:  # the schema generator's fake view
            return Result.objects.none()
        user = self.request.user
        period = _period_for_member(user, self.kwargs["pk"])
        base = (
            Result.objects.filter(period=period)
            .select_related("membership")
            .order_by("rank", "subject_name", "pk")
        )
        if schemes_for(user).filter(pk=period.scheme_id).exists():
            return base.restrict(user, Action.VIEW)
        if period.state != PeriodState.PUBLISHED or period.scheme.visibility == Visibility.NONE:
            return base.none()
        if period.scheme.visibility == Visibility.FULL:
            return base
        return base.filter(membership__person__user_id=user.pk or 0)
