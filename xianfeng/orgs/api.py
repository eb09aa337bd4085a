"""Organizations over the API: list and read within the caller's scope; writes through orgs.services.

Orgs are addressed by integer id (they are not personal data). Every queryset is restricted.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user
from xianfeng.orgs import services
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org


class OrgFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or code contains"))
    parent = django_filters.NumberFilter(
        method="children_of", label=_("Direct children of this organization")
    )
    org_type = django_filters.ChoiceFilter(choices=OrgType.choices)
    status = django_filters.ChoiceFilter(choices=OrgStatus.choices)

    class Meta:
        model = Org
        fields = ["q", "parent", "org_type", "status"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else queryset

    def children_of(self, queryset: Any, name: str, value: int) -> Any:
        parent = Org.objects.filter(pk=value).only("path", "depth").first()
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)


class OrgOutputSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField(help_text="The parent's id, if the caller may see it.")  # type: ignore[assignment]

    class Meta:
        model = Org
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "org_type",
            "status",
            "parent",
            "depth",
            "business_unit",
            "founded_date",
            "term_start",
            "term_years",
            "term_end",
            "dissolved_date",
            "dissolved_reason",
        ]

    def get_parent(self, org: Org) -> int | None:
        return self.context.get("parents", {}).get(org.path[: -Org.steplen])


def _output(user: Any, orgs: list[Org], *, many: bool) -> Any:
    """Serialized orgs with their parents' ids, looked up in one query among visible orgs."""
    paths = {org.path[: -Org.steplen] for org in orgs if org.depth > 1}
    parents = dict(Org.objects.restrict(user, Action.VIEW).filter(path__in=paths).values_list("path", "id"))
    data = OrgOutputSerializer(orgs, many=True, context={"parents": parents}).data
    return data if many else data[0]


def visible_org(user: Any, pk: int, field: str) -> Org:
    """An org named in a request body: an unknown one and an invisible one are the same 400."""
    org = Org.objects.restrict(user, Action.VIEW).filter(pk=pk).first()
    if org is None:
        raise serializers.ValidationError({field: [_("Unknown organization.")]})
    return org


def optional_visible_org(user: Any, pk: int | None, field: str) -> Org | None:
    return None if pk is None else visible_org(user, pk, field)


class OrgListCreateApi(generics.ListAPIView):
    """GET /orgs/: the organizations the caller may see. POST /orgs/: create one under a parent."""

    serializer_class = OrgOutputSerializer
    filterset_class = OrgFilterSet

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OrgListCreateInput"

        parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
        org_type = serializers.ChoiceField(choices=OrgType.choices)
        name = serializers.CharField(max_length=100)
        code = serializers.CharField(max_length=32)
        short_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
        business_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
        founded_date = serializers.DateField(required=False, allow_null=True)
        term_start = serializers.DateField(required=False, allow_null=True)
        term_years = serializers.IntegerField(required=False, allow_null=True)

    def get_queryset(self) -> Any:
        return Org.objects.restrict(self.request.user, Action.VIEW).order_by("path")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(_output(request.user, list(page or []), many=True))

    @extend_schema(operation_id="orgs_create", request=InputSerializer, responses={201: OrgOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent = optional_visible_org(request.user, data.pop("parent"), "parent")
        org = services.org_create(actor=request.user, parent=parent, **data)
        return Response(_output(request.user, [org], many=False), status=status.HTTP_201_CREATED)


class OrgDetailApi(APIView):
    """GET /orgs/{id}/: one organization. PATCH: rename, re-code, founding and term data."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OrgDetailInput"

        name = serializers.CharField(max_length=100, required=False)
        short_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
        code = serializers.CharField(max_length=32, required=False)
        business_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
        founded_date = serializers.DateField(required=False, allow_null=True)
        term_start = serializers.DateField(required=False, allow_null=True)
        term_years = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(operation_id="orgs_retrieve", responses={200: OrgOutputSerializer})
    def get(self, request: Request, org_id: int) -> Response:
        org: Org = get_for_user(Org.objects.all(), request.user, Action.VIEW, pk=org_id)
        return Response(_output(request.user, [org], many=False))

    @extend_schema(
        operation_id="orgs_partial_update", request=InputSerializer, responses={200: OrgOutputSerializer}
    )
    def patch(self, request: Request, org_id: int) -> Response:
        org: Org = get_for_user(Org.objects.all(), request.user, Action.MANAGE_ORGS, pk=org_id)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        org = services.org_update(actor=request.user, org=org, data=dict(serializer.validated_data))
        return Response(_output(request.user, [org], many=False))


class OrgMoveApi(APIView):
    """POST /orgs/{id}/move: move an organization and its subtree under another parent."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OrgMoveInput"

        parent = serializers.IntegerField()  # type: ignore[assignment]

    @extend_schema(operation_id="orgs_move", request=InputSerializer, responses={200: OrgOutputSerializer})
    def post(self, request: Request, org_id: int) -> Response:
        org: Org = get_for_user(Org.objects.all(), request.user, Action.MANAGE_ORGS, pk=org_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new_parent = visible_org(request.user, serializer.validated_data["parent"], "parent")
        org = services.org_move(actor=request.user, org=org, new_parent=new_parent)
        return Response(_output(request.user, [org], many=False))


class OrgDissolveApi(APIView):
    """POST /orgs/{id}/dissolve: dissolve an organization without active members or sub-organizations."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OrgDissolveInput"

        date = serializers.DateField()
        reason = serializers.CharField()

    @extend_schema(
        operation_id="orgs_dissolve", request=InputSerializer, responses={200: OrgOutputSerializer}
    )
    def post(self, request: Request, org_id: int) -> Response:
        org: Org = get_for_user(Org.objects.all(), request.user, Action.MANAGE_ORGS, pk=org_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        org = services.org_dissolve(actor=request.user, org=org, **serializer.validated_data)
        return Response(_output(request.user, [org], many=False))
