"""People and memberships over the API, addressed by UUID `code`, masked, restricted; writes via services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user, require
from xianfeng.orgs.api import optional_visible_org, visible_org
from xianfeng.people import imports, services
from xianfeng.people.choices import Education, Gender, LeaveReason, PoliticalStatus
from xianfeng.people.ethnicity import ETHNICITY_CHOICES
from xianfeng.people.filters import MembershipFilterSet
from xianfeng.people.models import Membership, Person
from xianfeng.people.selectors import member_list

# --- Output ----------------------------------------------------------------------------------


class OrgRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonOutputSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", help_text="Masked; see /reveal.")
    phone = serializers.CharField(source="phone_masked", help_text="Masked; see /reveal.")

    class Meta:
        model = Person
        fields = ["code", *services.PERSON_FIELDS]


class MembershipOutputSerializer(serializers.ModelSerializer):
    person = PersonOutputSerializer()
    org = OrgRefSerializer()
    party_group = OrgRefSerializer(allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "code",
            "person",
            "org",
            "party_group",
            "status",
            "application_date",
            "activist_date",
            "candidate_date",
            "admission_date",
            "conversion_date",
            "left_date",
            "left_reason",
            "left_note",
        ]


def _membership_out(membership: Membership) -> Any:
    return MembershipOutputSerializer(membership).data


def _memberships() -> Any:
    return Membership.objects.select_related("person", "org", "party_group")


# --- People ----------------------------------------------------------------------------------


class PersonListApi(generics.ListAPIView):
    """GET /people/: the people the caller may see (sensitive fields masked)."""

    serializer_class = PersonOutputSerializer

    def get_queryset(self) -> Any:
        return Person.objects.restrict(self.request.user, Action.VIEW).order_by("name", "pk")


class PersonInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    ethnicity = serializers.ChoiceField(choices=ETHNICITY_CHOICES, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    employee_no = serializers.CharField(max_length=32, required=False, allow_blank=True)
    business_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    department = serializers.CharField(max_length=100, required=False, allow_blank=True)
    job_post = serializers.CharField(max_length=100, required=False, allow_blank=True)
    hire_date = serializers.DateField(required=False, allow_null=True)


class PersonDetailApi(APIView):
    """GET /people/{code}/: one person. PATCH: change their employee data (people.services.person_update)."""

    @extend_schema(operation_id="people_retrieve", responses={200: PersonOutputSerializer})
    def get(self, request: Request, code: str) -> Response:
        person = get_for_user(Person.objects.all(), request.user, Action.VIEW, code=code)
        return Response(PersonOutputSerializer(person).data)

    @extend_schema(
        operation_id="people_partial_update",
        request=PersonInputSerializer,
        responses={200: PersonOutputSerializer},
    )
    def patch(self, request: Request, code: str) -> Response:
        person = get_for_user(Person.objects.all(), request.user, Action.CHANGE, code=code)
        serializer = PersonInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person = services.person_update(
            actor=request.user, person=person, data=dict(serializer.validated_data)
        )
        return Response(PersonOutputSerializer(person).data)


class PersonRevealApi(APIView):
    """POST /people/{code}/reveal: the unmasked ID number or phone, for users with the unmask right; audited."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonRevealInput"

        field = serializers.ChoiceField(choices=["id_number", "phone"])

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonRevealOutput"

        field = serializers.CharField()
        value = serializers.CharField()

    @extend_schema(operation_id="people_reveal", request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request, code: str) -> Response:
        person = get_for_user(
            Person.objects.select_related("membership__org"), request.user, Action.VIEW, code=code
        )
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        field = serializer.validated_data["field"]
        value = services.person_reveal(actor=request.user, person=person, field=field)
        return Response(self.OutputSerializer({"field": field, "value": value}).data)


# --- Memberships -----------------------------------------------------------------------------


def _nest_person_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """Service errors name flat fields; in the create payload the person's fields are nested."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return serializers.ValidationError(
        {(f"person.{key}" if key in services.PERSON_FIELDS else key): value for key, value in errors.items()}
    )


class MembershipListCreateApi(generics.ListAPIView):
    """GET /memberships/: filtered like the member list. POST: record a person and their membership."""

    serializer_class = MembershipOutputSerializer
    filterset_class = MembershipFilterSet

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MembershipListCreateInput"

        person = PersonInputSerializer()
        org = serializers.IntegerField()
        party_group = serializers.IntegerField(required=False, allow_null=True)
        status = serializers.ChoiceField(choices=PoliticalStatus.choices)
        application_date = serializers.DateField(required=False, allow_null=True)
        activist_date = serializers.DateField(required=False, allow_null=True)
        candidate_date = serializers.DateField(required=False, allow_null=True)
        admission_date = serializers.DateField(required=False, allow_null=True)
        conversion_date = serializers.DateField(required=False, allow_null=True)

    def get_queryset(self) -> Any:
        return member_list(user=self.request.user, action=Action.VIEW)

    @extend_schema(
        operation_id="memberships_create",
        request=InputSerializer,
        responses={201: MembershipOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person_data = dict(data.pop("person"))
        org = visible_org(request.user, data.pop("org"), "org")
        data["party_group"] = optional_visible_org(request.user, data.pop("party_group", None), "party_group")
        try:
            membership = services.member_create(
                actor=request.user, org=org, person_data=person_data, membership_data=data
            )
        except DjangoValidationError as exc:
            raise _nest_person_errors(exc) from exc
        return Response(_membership_out(membership), status=status.HTTP_201_CREATED)


class MembershipDetailApi(APIView):
    """GET /memberships/{code}/: one membership with its person."""

    @extend_schema(operation_id="memberships_retrieve", responses={200: MembershipOutputSerializer})
    def get(self, request: Request, code: str) -> Response:
        membership = get_for_user(_memberships(), request.user, Action.VIEW, code=code)
        return Response(_membership_out(membership))


class MembershipTransferApi(APIView):
    """POST /memberships/{code}/transfer: move a member to another organization of the system."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MembershipTransferInput"

        to_org = serializers.IntegerField()
        date = serializers.DateField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")
        party_group = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(
        operation_id="memberships_transfer",
        request=InputSerializer,
        responses={200: MembershipOutputSerializer},
    )
    def post(self, request: Request, code: str) -> Response:
        membership = get_for_user(_memberships(), request.user, Action.CHANGE, code=code)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        to_org = visible_org(request.user, data["to_org"], "to_org")
        membership = services.member_transfer(
            actor=request.user,
            membership=membership,
            to_org=to_org,
            date=data["date"],
            reason=data["reason"],
            party_group=optional_visible_org(request.user, data.get("party_group"), "party_group"),
        )
        return Response(_membership_out(_memberships().get(pk=membership.pk)))


class MembershipLeaveApi(APIView):
    """POST /memberships/{code}/leave: record that the member left (transfer out, death…); nothing is deleted."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MembershipLeaveInput"

        reason = serializers.ChoiceField(choices=LeaveReason.choices)
        date = serializers.DateField()
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="memberships_leave", request=InputSerializer, responses={200: MembershipOutputSerializer}
    )
    def post(self, request: Request, code: str) -> Response:
        membership = get_for_user(_memberships(), request.user, Action.CHANGE, code=code)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.member_leave(
            actor=request.user, membership=membership, **serializer.validated_data
        )
        return Response(_membership_out(membership))


# --- Import ----------------------------------------------------------------------------------

_ROW_ERROR = inline_serializer(
    "ImportRowError",
    {
        "row": serializers.IntegerField(),
        "field": serializers.CharField(),
        "column": serializers.CharField(),
        "message": serializers.CharField(),
        "code": serializers.CharField(),
    },
)


class MemberImportApi(APIView):
    """POST /members/import: an .xlsx in the template's layout; all rows are imported, or none.

    With `dry_run=true` the file is only checked. Any invalid row: 400 with every row's errors.
    """

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MemberImportInput"

        file = serializers.FileField()
        dry_run = serializers.BooleanField(required=False, default=False)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MemberImportOutput"

        rows = serializers.IntegerField()
        created = serializers.IntegerField()
        dry_run = serializers.BooleanField()
        batch = serializers.UUIDField(allow_null=True)
        errors = serializers.ListField(child=_ROW_ERROR)  # type: ignore[assignment]

    @extend_schema(
        operation_id="members_import",
        request={"multipart/form-data": InputSerializer},
        responses={200: OutputSerializer, 201: OutputSerializer, 400: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        require(request.user, Action.IMPORT, None)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload, dry_run = serializer.validated_data["file"], serializer.validated_data["dry_run"]
        if upload.size > settings.XIANFENG_IMPORT_MAX_BYTES:
            raise serializers.ValidationError({"file": [imports.too_large_message()]})
        data = upload.read()
        try:
            if dry_run:
                check, batch = imports.import_check(actor=request.user, data=data), None
                if not check.ok:
                    raise imports.ImportRejected(check)
            else:
                batch, check = imports.import_file(actor=request.user, filename=upload.name, data=data)
        except imports.ImportFileError as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from exc
        except imports.ImportRejected as exc:
            return self._result(exc.check, None, dry_run, status.HTTP_400_BAD_REQUEST)
        return self._result(check, batch, dry_run, status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)

    def _result(self, check: imports.ImportCheck, batch: Any, dry_run: bool, code: int) -> Response:
        errors = [{**error.as_dict(), "code": "invalid"} for error in check.errors]
        created = 0 if dry_run or code >= 400 else len(check.rows)
        body = {
            "rows": check.row_count,
            "created": created,
            "dry_run": dry_run,
            "batch": batch.code if batch else None,
            "errors": errors,
        }
        return Response(self.OutputSerializer(body).data, status=code)
