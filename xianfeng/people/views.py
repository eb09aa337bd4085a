"""Member pages: the list, a member's record, the forms that call people.services, and "my record".

Access goes through core.scoping: lists through `.restrict()`, single records through `get_for_user()`
(404 when invisible, 403 when visible but not writable). Views never write; services do, and audit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, DateField, F, IntegerField, Min, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.orgs.models import Org
from xianfeng.people import selectors, services
from xianfeng.people.choices import STATUS_DATE_FIELD, STATUS_ORDER, PoliticalStatus, Post
from xianfeng.people.filters import MembershipFilterSet
from xianfeng.people.forms import (
    LeaveForm,
    MemberCreateForm,
    MembershipEditForm,
    PersonEditForm,
    PostAssignForm,
    PostEndForm,
    TransferForm,
    XianfengForm,
    changeable_orgs,
)
from xianfeng.people.models import Membership, Person, PostHolding

PAGE_SIZE = 50
T = TypeVar("T")

# --- the list -------------------------------------------------------------------------------

_STATUS_RANK = Case(
    *[When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)],
    output_field=IntegerField(),
)
# The key date of the member's current stage: admission for probationary, conversion for full…
KEY_DATE = Case(
    *[When(status=status, then=F(field)) for status, field in STATUS_DATE_FIELD.items()],
    output_field=DateField(),
)

# sort key -> (label, expression, inverted); "age" ascending is birth date descending.
SORTS: dict[str, tuple[Any, Any, bool]] = {
    "name": (gettext_lazy("Name"), F("person__name"), False),
    "gender": (gettext_lazy("Gender"), F("person__gender"), False),
    "age": (gettext_lazy("Age"), F("person__birth_date"), True),
    "org": (gettext_lazy("Organization"), F("org__path"), False),
    "group": (gettext_lazy("Party group"), F("party_group__path"), False),
    "status": (gettext_lazy("Status"), _STATUS_RANK, False),
    "key_date": (gettext_lazy("Key date"), F("key_date"), False),
}


@dataclass
class MemberRow:
    membership: Membership
    age: int
    posts: list[PostHolding]


def _sorted(queryset: QuerySet[Membership], sort: str) -> tuple[QuerySet[Membership], str]:
    key = sort.removeprefix("-")
    if key not in SORTS:
        return queryset, ""
    _label, expression, inverted = SORTS[key]
    descending = sort.startswith("-") != inverted
    ordering = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return queryset.order_by(ordering, "person__name", "pk"), sort


def _columns(sort: str) -> list[dict[str, Any]]:
    columns = []
    for key, (label, _expression, _inverted) in SORTS.items():
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns.append(
            {"key": key, "label": label, "state": state, "next": f"-{key}" if sort == key else key}
        )
    return columns


ORG_OPTION_LEVELS = 3  # the filter offers the top levels of the user's scope; deeper orgs via the tree
ORG_OPTION_LIMIT = 400


def _org_options(user: Any, selected: str) -> list[tuple[int, str]]:
    """Orgs for the filter: the top levels of the visible tree (a committee with thousands of branches
    would otherwise send a select of thousands), plus the selected org."""
    visible = Org.objects.restrict(user, Action.VIEW)
    base = visible.aggregate(base=Min("depth"))["base"] or 1
    fields = ("pk", "name", "short_name", "depth", "path")
    orgs: list[Org] = []
    for levels in range(ORG_OPTION_LEVELS, 0, -1):
        orgs = list(visible.filter(depth__lt=base + levels).only(*fields)[: ORG_OPTION_LIMIT + 1])
        if len(orgs) <= ORG_OPTION_LIMIT:
            break
    orgs = orgs[:ORG_OPTION_LIMIT]
    if selected.isdigit() and all(o.pk != int(selected) for o in orgs):
        orgs += list(visible.filter(pk=int(selected)).only(*fields))
    return [(o.pk, "\u3000" * (o.depth - base) + o.display_name) for o in sorted(orgs, key=lambda o: o.path)]


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    """Filters above a sortable, paginated table; htmx re-renders only the table."""
    user = request.user
    if not can(user, Action.VIEW, None):  # self-service accounts have their own page
        return redirect("people:me")
    filterset = MembershipFilterSet(
        request.GET, queryset=selectors.member_list(user=user).annotate(key_date=KEY_DATE)
    )
    queryset, sort = _sorted(filterset.qs, request.GET.get("sort", ""))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    memberships = list(page.object_list)
    posts = selectors.current_posts(person_ids=[m.person_id for m in memberships])
    today = timezone.localdate()
    rows = [MemberRow(m, m.person.age_on(today), posts.get(m.person_id, [])) for m in memberships]
    context = {
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "columns": _columns(sort),
        "sort": sort,
        "partial": bool(request.htmx and request.htmx.target == "member-table"),  # type: ignore[attr-defined]
        "can_create": can(user, Action.CHANGE, None),
        "can_export": can(user, Action.EXPORT, None),
    }
    if context["partial"]:
        return render(request, "people/partials/member_table.html", context)
    context |= {
        "org_options": _org_options(user, request.GET.get("org", "")),
        "selected_org": request.GET.get("org", ""),
        "status_choices": PoliticalStatus.choices,
        "selected_statuses": request.GET.getlist("status"),
        "post_choices": Post.choices,
        "current_choices": filterset.filters["current"].extra["choices"],
        "selected_current": request.GET.get("current") or "yes",
        "can_import": can(user, Action.IMPORT, None),
    }
    return render(request, "people/list.html", context)


# --- a member's record ----------------------------------------------------------------------


def _membership_for(request: HttpRequest, code: Any, action: str = Action.VIEW) -> Membership:
    queryset = Membership.objects.select_related("person", "org", "party_group")
    return get_for_user(queryset, request.user, action, code=code)


def _record_context(membership: Membership) -> dict[str, Any]:
    today = timezone.localdate()
    holdings = list(
        PostHolding.objects.filter(person_id=membership.person_id)
        .select_related("org")
        .order_by("-start_date", "pk")
    )
    return {
        "membership": membership,
        "person": membership.person,
        "age": membership.person.age_on(today),
        "party_age": membership.party_age_on(today),
        "current_posts": [h for h in holdings if h.end_date is None],
        "past_posts": [h for h in holdings if h.end_date is not None],
        "events": list(
            membership.events.select_related("from_org", "to_org").order_by("-date", "-id")  # type: ignore[attr-defined]
        ),
    }


@login_required
def member_detail(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership_for(request, code)
    user, org = request.user, membership.org
    context = _record_context(membership)
    may_change = can(user, Action.CHANGE, org)
    context |= {
        "can_change": may_change,
        "can_unmask": can(user, Action.UNMASK, org),
        "endable_post_ids": {h.pk for h in context["current_posts"] if can(user, Action.CHANGE, h.org)},
    }
    return render(request, "people/detail.html", context)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The logged-in member's own record, laid out for a phone."""
    user: Any = request.user
    membership = (
        Membership.objects.filter(person__user=user).select_related("person", "org", "party_group").first()
    )
    if membership is None:
        return render(request, "people/me_unlinked.html")
    return render(request, "people/me.html", _record_context(membership))


@login_required
@require_POST
def reveal(request: HttpRequest, code: Any, field: str) -> HttpResponse:
    """The unmasked ID number or phone, for users with the unmask right; the service audits it."""
    if field not in Person.SENSITIVE_FIELDS:
        raise Http404
    membership = _membership_for(request, code)
    value = services.person_reveal(actor=request.user, person=membership.person, field=field)
    context = {"membership": membership, "field": field, "value": value}
    template = "people/partials/revealed.html" if request.htmx else "people/revealed.html"  # type: ignore[attr-defined]
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response


# --- forms ----------------------------------------------------------------------------------


def _call(form: XianfengForm, write: Callable[[], T]) -> T | None:
    """Run a service call; its ValidationError lands on the form's fields and nothing is written."""
    try:
        return write()
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(
    request: HttpRequest,
    form: XianfengForm,
    *,
    title: str,
    submit: str,
    membership: Membership | None = None,
    intro: str = "",
    danger: bool = False,
) -> HttpResponse:
    cancel = reverse("people:detail", args=[membership.code]) if membership else reverse("people:list")
    context = {
        "form": form,
        "title": title,
        "submit_label": submit,
        "membership": membership,
        "intro": intro,
        "danger": danger,
        "cancel_url": cancel,
    }
    return render(request, "people/form.html", context)


def _done(request: HttpRequest, membership: Membership, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("people:detail", code=membership.code)


def _follow_org(field: Any, url: str) -> None:
    """With htmx, choosing the org reloads the party group choices (without JS all groups are listed)."""
    field.widget.attrs.update(
        {
            "hx-get": url,
            "hx-target": "#field-party_group",
            "hx-select": "#field-party_group",
            "hx-swap": "outerHTML",
        }
    )


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, Action.CHANGE, None):
        raise PermissionDenied
    org_pk = request.GET.get("org", "")
    org = changeable_orgs(user).filter(pk=org_pk).first() if org_pk.isdigit() else None
    form = MemberCreateForm(_posted(request), user=user, org=org)
    _follow_org(form.fields["org"], reverse("people:create"))
    if form.is_bound and form.is_valid():
        membership = _call(
            form,
            lambda: services.member_create(
                actor=user,
                org=form.cleaned_data["org"],
                person_data=form.person_data(),
                membership_data=form.membership_data(),
            ),
        )
        if membership is not None:
            return _done(request, membership, _("%(name)s was recorded.") % {"name": membership.person.name})
    return _form_page(request, form, title=_("New member"), submit=_("Save member"))


@login_required
def person_edit(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership_for(request, code, Action.CHANGE)
    form = PersonEditForm(_posted(request), person=membership.person)
    if form.is_bound and form.is_valid():
        person = _call(
            form,
            lambda: services.person_update(
                actor=request.user, person=membership.person, data=form.person_data()
            ),
        )
        if person is not None:
            return _done(request, membership, _("The personal data was saved."))
    return _form_page(request, form, title=_("Edit personal data"), submit=_("Save"), membership=membership)


@login_required
def membership_edit(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership_for(request, code, Action.CHANGE)
    if not membership.is_current:
        raise PermissionDenied(_("This person has left; the record is kept as history."))
    form = MembershipEditForm(_posted(request), user=request.user, membership=membership)
    if form.is_bound and form.is_valid():
        saved = _call(
            form,
            lambda: services.membership_update(
                actor=request.user,
                membership=membership,
                data=form.membership_data(),
                reason=form.cleaned_data["reason"],
            ),
        )
        if saved is not None:
            return _done(request, membership, _("The membership was updated."))
    return _form_page(
        request,
        form,
        title=_("Edit membership"),
        submit=_("Save"),
        membership=membership,
        intro=_("Change the political status, key dates or party group. The reason is kept in the history."),
    )


@login_required
def transfer(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership_for(request, code, Action.CHANGE)
    to_pk = request.GET.get("to_org", "")
    to_org = changeable_orgs(request.user).filter(pk=to_pk).first() if to_pk.isdigit() else None
    form = TransferForm(_posted(request), user=request.user, membership=membership, to_org=to_org)
    _follow_org(form.fields["to_org"], reverse("people:transfer", args=[membership.code]))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        saved = _call(
            form,
            lambda: services.member_transfer(
                actor=request.user,
                membership=membership,
                to_org=data["to_org"],
                date=data["date"],
                reason=data["reason"],
                party_group=data["party_group"],
            ),
        )
        if saved is not None:
            return _done(
                request, membership, _("The member was transferred to %(org)s.") % {"org": saved.org.name}
            )
    return _form_page(
        request,
        form,
        title=_("Transfer"),
        submit=_("Transfer"),
        membership=membership,
        intro=_("Posts held in the current organization end on the transfer date."),
    )


@login_required
def leave(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership_for(request, code, Action.CHANGE)
    form = LeaveForm(_posted(request))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        saved = _call(
            form,
            lambda: services.member_leave(
                actor=request.user,
                membership=membership,
                reason=data["reason"],
                date=data["date"],
                note=data["note"],
            ),
        )
        if saved is not None:
            return _done(request, membership, _("The departure was recorded."))
    return _form_page(
        request,
        form,
        title=_("Record leaving"),
        submit=_("Record leaving"),
        membership=membership,
        intro=_("Nothing is deleted: the record stays as history and the member's posts end on this date."),
        danger=True,
    )


@login_required
def post_assign(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership_for(request, code, Action.CHANGE)
    form = PostAssignForm(_posted(request), user=request.user, membership=membership)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        holding = _call(
            form,
            lambda: services.post_assign(
                actor=request.user,
                person=membership.person,
                org=data["org"],
                post=data["post"],
                start_date=data["start_date"],
            ),
        )
        if holding is not None:
            return _done(request, membership, _("The post was assigned."))
    return _form_page(request, form, title=_("Assign a post"), submit=_("Assign"), membership=membership)


@login_required
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = PostHolding.objects.select_related("org", "person__membership__org")
    holding = get_for_user(queryset, request.user, Action.CHANGE, pk=pk)
    membership = holding.person.membership
    form = PostEndForm(_posted(request))
    if form.is_bound and form.is_valid():
        ended = _call(
            form,
            lambda: services.post_end(
                actor=request.user, holding=holding, end_date=form.cleaned_data["end_date"]
            ),
        )
        if ended is not None:
            return _done(request, membership, _("The post was ended."))
    title = _("End the post %(post)s in %(org)s") % {
        "post": holding.get_post_display(),
        "org": holding.org.display_name,
    }
    return _form_page(request, form, title=title, submit=_("End the post"), membership=membership)
