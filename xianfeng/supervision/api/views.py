"""Supervision over the API (/api/v1/supervision/…): the board, key-task lists and items (progress,
transitions), the rectification register (submit, verify, counts), work orders (issue, respond,
escalate), "my items", responsibility lists, pledges, monthly themes and plans.

Same scoping as the pages: VIEW to read (lists are restricted to the caller's scope, owners see their
own items and problems), CHANGE on the org a service names to write; an object out of sight is a 404,
one seen but not changeable a 403, and a service's refusal a 400 {"errors": [{field, message, code}]}
with nothing written. Callers without any role get only "my items" and the owner's own writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.orgs.api import visible_org
from xianfeng.orgs.models import Org
from xianfeng.orgs.selectors import visible_roots
from xianfeng.people.models import Person
from xianfeng.supervision import rules, selectors, services
from xianfeng.supervision.api import serializers as s
from xianfeng.supervision.models import (
    MonthlyTheme,
    Pledge,
    Rectification,
    RectificationBatch,
    ResponsibilityList,
    TaskItem,
    TaskList,
    WorkOrder,
    WorkPlan,
)
from xianfeng.supervision.selectors import with_states

ORG = OpenApiParameter("org", OpenApiTypes.INT, description="Default: the caller's first visible root.")


def staff_only(user: Any) -> None:
    if not can(user, Action.VIEW, None):
        raise PermissionDenied


def query_org(user: Any, raw: Any) -> Org:
    if raw in (None, ""):
        roots = sorted(visible_roots(user), key=lambda o: o.path)
        if not roots:
            raise PermissionDenied
        return roots[0]
    try:
        pk = int(str(raw))
    except ValueError:
        raise serializers.ValidationError({"org": ["Unknown organization."]}) from None
    org: Org = get_for_user(Org.objects.all(), user, Action.VIEW, pk=pk)
    return org


def _person(user: Any, code: Any, field: str) -> Person | None:
    if code is None:
        return None
    person = Person.objects.filter(code=code).first()
    if person is None:
        raise serializers.ValidationError({field: ["Unknown person."]})
    return person


def _date(raw: Any, field: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise serializers.ValidationError({field: ["Enter a date as YYYY-MM-DD."]}) from None


class _Listing(GenericAPIView):  # type: ignore[type-arg]
    def page(self, rows: Any, serializer: Any) -> Response:
        page = self.paginate_queryset(rows)
        data = serializer(with_states(page or [], rules.today()), many=True).data
        return self.get_paginated_response(data)


# --- Board and my items ---------------------------------------------------------------------------


class BoardApi(APIView):
    @extend_schema(
        operation_id="supervision_board",
        parameters=[ORG, OpenApiParameter("year", OpenApiTypes.INT)],
        responses={200: s.SupervisionBoardSerializer},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        year = request.query_params.get("year")
        board = selectors.board(
            request.user, org, rules.today(), int(year) if year and year.isdigit() else None
        )
        body = {
            "org": org,
            "item_totals": board.item_totals,
            "rect_totals": board.rect_totals,
            "open_orders": board.open_orders,
            "truncated": board.truncated,
            "rows": board.rows,
        }
        return Response(s.SupervisionBoardSerializer(body).data)


class MineApi(APIView):
    @extend_schema(operation_id="supervision_mine", responses={200: s.SupervisionMineSerializer})
    def get(self, request: Request) -> Response:
        day = rules.today()
        mine = selectors.mine(request.user, day)
        for rows in (mine.tasks, mine.rectifications, mine.orders, mine.to_check, mine.to_verify):
            with_states(rows, day)
        return Response(s.SupervisionMineSerializer(mine).data)


# --- Key tasks ------------------------------------------------------------------------------------


def _task_list(user: Any, code: Any, action: str = Action.VIEW) -> TaskList:
    qs = TaskList.objects.select_related("org").prefetch_related("categories")
    if TaskItem.objects.restrict(user).filter(task_list__code=code).exists():
        found = get_object_or_404(qs, code=code)
        if action != Action.VIEW and not can(user, action, found.org):
            raise PermissionDenied
        return found
    task_list: TaskList = get_for_user(qs, user, action, code=code)
    return task_list


def _item(user: Any, code: Any) -> TaskItem:
    qs = TaskItem.objects.select_related("task_list__org", "lead_org", "lead_person", "category")
    item: TaskItem = get_for_user(qs, user, Action.VIEW, code=code)
    return item


def _item_out(item: TaskItem) -> Any:
    detail = selectors.item_detail(item)
    with_states([detail], rules.today())
    return s.SupervisionItemDetailSerializer(detail).data


class TaskListsApi(_Listing):
    queryset = TaskList.objects.none()
    serializer_class = s.SupervisionTaskListSerializer

    @extend_schema(
        operation_id="supervision_task_lists",
        parameters=[ORG],
        responses={200: s.SupervisionTaskListSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        rows = selectors.task_lists(request.user, org).prefetch_related("categories")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.SupervisionTaskListSerializer(page, many=True).data)

    @extend_schema(
        operation_id="supervision_task_list_create",
        request=s.SupervisionTaskListInputSerializer,
        responses={201: s.SupervisionTaskListSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.SupervisionTaskListInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = visible_org(request.user, values.pop("org"), "org")
        task_list = services.task_list_create(actor=request.user, org=org, **values)
        return Response(s.SupervisionTaskListSerializer(task_list).data, status=status.HTTP_201_CREATED)


class TaskListItemsApi(_Listing):
    queryset = TaskItem.objects.none()
    serializer_class = s.SupervisionItemSerializer

    @extend_schema(
        operation_id="supervision_task_list_items", responses={200: s.SupervisionItemSerializer(many=True)}
    )
    def get(self, request: Request, code: Any) -> Response:
        staff_only(request.user)
        task_list = _task_list(request.user, code)
        return self.page(
            selectors.items(request.user, task_list=task_list, today=rules.today()),
            s.SupervisionItemSerializer,
        )

    @extend_schema(
        operation_id="supervision_item_add",
        request=s.SupervisionItemInputSerializer,
        responses={201: s.SupervisionItemDetailSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        task_list = _task_list(request.user, code, Action.CHANGE)
        data = s.SupervisionItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        collaborators = list(Org.objects.filter(pk__in=v["collaborators"]))
        if len(collaborators) != len(set(v["collaborators"])):
            raise serializers.ValidationError({"collaborators": ["Unknown organization."]})
        item = services.item_add(
            actor=request.user,
            task_list=task_list,
            data=services.ItemIn(
                title=v["title"],
                lead_org=visible_org(request.user, v["lead_org"], "lead_org"),
                lead_person=_person(request.user, v.get("lead_person"), "lead_person"),
                deadline=v["deadline"],
                category=v["category"],
                collaborators=collaborators,
                acceptance=v["acceptance"],
                milestones=[services.MilestoneIn(title=m["title"], due=m["due"]) for m in v["milestones"]],
            ),
        )
        return Response(_item_out(item), status=status.HTTP_201_CREATED)


class ItemsApi(_Listing):
    queryset = TaskItem.objects.none()
    serializer_class = s.SupervisionItemSerializer

    @extend_schema(
        operation_id="supervision_items",
        parameters=[
            ORG,
            OpenApiParameter("state", OpenApiTypes.STR, description="open, overdue or a status"),
        ],
        responses={200: s.SupervisionItemSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        qs = selectors.items(
            request.user, org=org, state=request.query_params.get("state", ""), today=rules.today()
        )
        return self.page(qs, s.SupervisionItemSerializer)


class ItemApi(APIView):
    @extend_schema(operation_id="supervision_item", responses={200: s.SupervisionItemDetailSerializer})
    def get(self, request: Request, code: Any) -> Response:
        return Response(_item_out(_item(request.user, code)))


class ItemProgressApi(APIView):
    @extend_schema(
        operation_id="supervision_item_progress",
        request=s.SupervisionProgressInputSerializer,
        responses={201: s.SupervisionItemDetailSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        item = _item(request.user, code)
        data = s.SupervisionProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.progress_report(actor=request.user, item=item, **data.validated_data)
        return Response(_item_out(item), status=status.HTTP_201_CREATED)


class ItemTransitionApi(APIView):
    @extend_schema(
        operation_id="supervision_item_transition",
        request=s.SupervisionTransitionInputSerializer,
        responses={200: s.SupervisionItemDetailSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        item = _item(request.user, code)
        data = s.SupervisionTransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["action"] == "report_done":
            services.item_report_done(actor=request.user, item=item, response=v["response"])
        elif v["action"] == "close":
            services.item_close(actor=request.user, item=item, note=v["note"])
        elif v["action"] == "return":
            services.item_return(actor=request.user, item=item, note=v["note"])
        else:
            raise serializers.ValidationError({"action": ["Use report_done, close or return."]})
        return Response(_item_out(item))


# --- Rectifications -------------------------------------------------------------------------------


def _rect(user: Any, code: Any) -> Rectification:
    qs = Rectification.objects.select_related("batch__org", "responsible_org", "responsible_person")
    item: Rectification = get_for_user(qs, user, Action.VIEW, code=code)
    return item


def _rect_out(item: Rectification) -> Any:
    item = Rectification.objects.select_related("batch__org", "responsible_org", "responsible_person").get(
        pk=item.pk
    )
    with_states([item], rules.today())
    return s.SupervisionRectificationSerializer(item).data


class BatchesApi(_Listing):
    queryset = RectificationBatch.objects.none()
    serializer_class = s.SupervisionBatchSerializer

    @extend_schema(
        operation_id="supervision_batches",
        parameters=[ORG],
        responses={200: s.SupervisionBatchSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        page = self.paginate_queryset(selectors.batches(request.user, org))
        return self.get_paginated_response(s.SupervisionBatchSerializer(page, many=True).data)

    @extend_schema(
        operation_id="supervision_batch_create",
        request=s.SupervisionBatchInputSerializer,
        responses={201: s.SupervisionBatchSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.SupervisionBatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = visible_org(request.user, values.pop("org"), "org")
        batch = services.batch_create(actor=request.user, org=org, **values)
        return Response(s.SupervisionBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class BatchRectificationsApi(APIView):
    @extend_schema(
        operation_id="supervision_rectification_add",
        request=s.SupervisionRectificationInputSerializer,
        responses={201: s.SupervisionRectificationSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        batch: RectificationBatch = get_for_user(
            RectificationBatch.objects.select_related("org"), request.user, Action.CHANGE, code=code
        )
        data = s.SupervisionRectificationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["responsible_org"] = visible_org(request.user, v["responsible_org"], "responsible_org")
        v["responsible_person"] = _person(request.user, v.get("responsible_person"), "responsible_person")
        item = services.rectification_add(actor=request.user, batch=batch, **v)
        return Response(_rect_out(item), status=status.HTTP_201_CREATED)


class RectificationsApi(_Listing):
    queryset = Rectification.objects.none()
    serializer_class = s.SupervisionRectificationSerializer

    @extend_schema(
        operation_id="supervision_rectifications",
        parameters=[
            ORG,
            OpenApiParameter(
                "state", OpenApiTypes.STR, description="open, overdue, submitted, closed or open_all"
            ),
            OpenApiParameter("category", OpenApiTypes.STR),
            OpenApiParameter("source", OpenApiTypes.STR),
        ],
        responses={200: s.SupervisionRectificationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        p = request.query_params
        qs = selectors.rectifications(
            request.user,
            org=org,
            state=p.get("state", ""),
            category=p.get("category", ""),
            source=p.get("source", ""),
            today=rules.today(),
        )
        return self.page(qs, s.SupervisionRectificationSerializer)


class RectificationCountsApi(APIView):
    @extend_schema(
        operation_id="supervision_rectification_counts",
        parameters=[
            ORG,
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses={200: s.SupervisionCountSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        counts = selectors.rectification_counts(
            org=org,
            start=_date(request.query_params.get("start"), "start"),
            end=_date(request.query_params.get("end"), "end"),
        )
        return Response(s.SupervisionCountSerializer(counts, many=True).data)


class RectificationApi(APIView):
    @extend_schema(
        operation_id="supervision_rectification", responses={200: s.SupervisionRectificationSerializer}
    )
    def get(self, request: Request, code: Any) -> Response:
        return Response(_rect_out(_rect(request.user, code)))


class RectificationSubmitApi(APIView):
    @extend_schema(
        operation_id="supervision_rectification_submit",
        request=s.SupervisionSubmitInputSerializer,
        responses={200: s.SupervisionRectificationSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        item = _rect(request.user, code)
        data = s.SupervisionSubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rectification_submit(actor=request.user, item=item, **data.validated_data)
        return Response(_rect_out(item))


class RectificationVerifyApi(APIView):
    @extend_schema(
        operation_id="supervision_rectification_verify",
        request=s.SupervisionVerifyInputSerializer,
        responses={200: s.SupervisionRectificationSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        item = _rect(request.user, code)
        data = s.SupervisionVerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rectification_verify(actor=request.user, item=item, **data.validated_data)
        return Response(_rect_out(item))


# --- Work orders ----------------------------------------------------------------------------------


def _order(user: Any, code: Any) -> WorkOrder:
    staff_only(user)
    qs = WorkOrder.objects.select_related("issuer_org", "recipient_org", "previous", "escalated")
    order: WorkOrder = get_for_user(qs, user, Action.VIEW, code=code)
    return order


def _order_out(order: WorkOrder) -> Any:
    order = _order_plain(order.pk)
    with_states([order], rules.today())
    return s.SupervisionOrderSerializer(order).data


def _order_plain(pk: int) -> WorkOrder:
    return WorkOrder.objects.select_related("issuer_org", "recipient_org", "previous", "escalated").get(pk=pk)


class OrdersApi(_Listing):
    queryset = WorkOrder.objects.none()
    serializer_class = s.SupervisionOrderSerializer

    @extend_schema(
        operation_id="supervision_work_orders",
        parameters=[
            ORG,
            OpenApiParameter("state", OpenApiTypes.STR, description="open, overdue or responded"),
            OpenApiParameter("kind", OpenApiTypes.STR),
        ],
        responses={200: s.SupervisionOrderSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        p = request.query_params
        qs = selectors.work_orders(
            request.user, org=org, state=p.get("state", ""), kind=p.get("kind", ""), today=rules.today()
        )
        return self.page(qs, s.SupervisionOrderSerializer)

    @extend_schema(
        operation_id="supervision_work_order_issue",
        request=s.SupervisionOrderInputSerializer,
        responses={201: s.SupervisionOrderSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.SupervisionOrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["issuer_org"] = visible_org(request.user, v["issuer_org"], "issuer_org")
        v["recipient_org"] = visible_org(request.user, v["recipient_org"], "recipient_org")
        order = services.order_issue(actor=request.user, **v)
        return Response(_order_out(order), status=status.HTTP_201_CREATED)


class OrderApi(APIView):
    @extend_schema(operation_id="supervision_work_order", responses={200: s.SupervisionOrderSerializer})
    def get(self, request: Request, code: Any) -> Response:
        return Response(_order_out(_order(request.user, code)))


class OrderRespondApi(APIView):
    @extend_schema(
        operation_id="supervision_work_order_respond",
        request=s.SupervisionRespondInputSerializer,
        responses={200: s.SupervisionOrderSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        order = _order(request.user, code)
        data = s.SupervisionRespondInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.order_respond(actor=request.user, order=order, **data.validated_data)
        return Response(_order_out(order))


class OrderEscalateApi(APIView):
    @extend_schema(
        operation_id="supervision_work_order_escalate",
        request=s.SupervisionEscalateInputSerializer,
        responses={201: s.SupervisionOrderSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        order = _order(request.user, code)
        data = s.SupervisionEscalateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.order_escalate(actor=request.user, order=order, **data.validated_data)
        return Response(_order_out(new), status=status.HTTP_201_CREATED)


# --- Responsibility lists, pledges, themes and plans ----------------------------------------------


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() else rules.today().year


class ResponsibilityListsApi(_Listing):
    queryset = ResponsibilityList.objects.none()
    serializer_class = s.SupervisionResponsibilityListSerializer

    @extend_schema(
        operation_id="supervision_responsibility_lists",
        parameters=[ORG, OpenApiParameter("year", OpenApiTypes.INT)],
        responses={200: s.SupervisionResponsibilityListSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        qs: QuerySet[ResponsibilityList] = (
            ResponsibilityList.objects.restrict(request.user)
            .in_subtree(org)
            .filter(year=_year(request))
            .select_related("org", "person")
            .order_by("org__path", "kind", "pk")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.SupervisionResponsibilityListSerializer(page, many=True).data)

    @extend_schema(
        operation_id="supervision_responsibility_list_create",
        request=s.SupervisionResponsibilityListInputSerializer,
        responses={201: s.SupervisionResponsibilityListSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.SupervisionResponsibilityListInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["org"] = visible_org(request.user, v["org"], "org")
        v["person"] = _person(request.user, v.get("person"), "person")
        row = services.responsibility_list_create(actor=request.user, **v)
        return Response(s.SupervisionResponsibilityListSerializer(row).data, status=status.HTTP_201_CREATED)


class PledgesApi(_Listing):
    queryset = Pledge.objects.none()
    serializer_class = s.SupervisionPledgeSerializer

    @extend_schema(
        operation_id="supervision_pledges",
        parameters=[ORG, OpenApiParameter("year", OpenApiTypes.INT)],
        responses={200: s.SupervisionPledgeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        qs = (
            Pledge.objects.restrict(request.user)
            .in_subtree(org)
            .filter(year=_year(request))
            .select_related("org", "signer")
            .order_by("org__path", "pk")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.SupervisionPledgeSerializer(page, many=True).data)

    @extend_schema(
        operation_id="supervision_pledge_issue",
        request=s.SupervisionPledgeInputSerializer,
        responses={201: s.SupervisionPledgeSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.SupervisionPledgeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["org"] = visible_org(request.user, v["org"], "org")
        signer = _person(request.user, v.pop("signer"), "signer")
        assert signer is not None
        pledge = services.pledge_issue(actor=request.user, signer=signer, **v)
        return Response(s.SupervisionPledgeSerializer(pledge).data, status=status.HTTP_201_CREATED)


class PledgeAcknowledgeApi(APIView):
    @extend_schema(
        operation_id="supervision_pledge_acknowledge",
        request=None,
        responses={200: s.SupervisionPledgeSerializer},
    )
    def post(self, request: Request, code: Any) -> Response:
        pledge: Pledge = get_for_user(Pledge.objects.select_related("org", "signer"), request.user, code=code)
        pledge = services.pledge_acknowledge(actor=request.user, pledge=pledge)
        return Response(s.SupervisionPledgeSerializer(pledge).data)


class ThemesApi(_Listing):
    queryset = MonthlyTheme.objects.none()
    serializer_class = s.SupervisionThemeSerializer

    @extend_schema(
        operation_id="supervision_themes",
        parameters=[ORG, OpenApiParameter("year", OpenApiTypes.INT)],
        responses={200: s.SupervisionThemeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        qs = (
            MonthlyTheme.objects.restrict(request.user)
            .in_subtree(org)
            .filter(month__year=_year(request))
            .select_related("org")
            .order_by("month", "org__path")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.SupervisionThemeSerializer(page, many=True).data)

    @extend_schema(
        operation_id="supervision_theme_set",
        request=s.SupervisionThemeInputSerializer,
        responses={200: s.SupervisionThemeSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.SupervisionThemeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["org"] = visible_org(request.user, v["org"], "org")
        return Response(s.SupervisionThemeSerializer(services.theme_set(actor=request.user, **v)).data)


class PlansApi(_Listing):
    queryset = WorkPlan.objects.none()
    serializer_class = s.SupervisionPlanSerializer

    @extend_schema(
        operation_id="supervision_plans",
        parameters=[ORG, OpenApiParameter("year", OpenApiTypes.INT)],
        responses={200: s.SupervisionPlanSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        staff_only(request.user)
        org = query_org(request.user, request.query_params.get("org"))
        qs = (
            WorkPlan.objects.restrict(request.user)
            .in_subtree(org)
            .filter(period__year=_year(request))
            .select_related("org")
            .order_by("-period", "org__path")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.SupervisionPlanSerializer(page, many=True).data)

    @extend_schema(
        operation_id="supervision_plan_save",
        request=s.SupervisionPlanInputSerializer,
        responses={200: s.SupervisionPlanSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.SupervisionPlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["org"] = visible_org(request.user, v["org"], "org")
        return Response(s.SupervisionPlanSerializer(services.plan_save(actor=request.user, **v)).data)
