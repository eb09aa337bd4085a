"""Forms of the "Users and roles" pages. They only collect input: core.services validates and writes.

Service errors (a ValidationError with a field dict) land under the fields they name. Passwords are
the one exception to "typed input is kept": they are never sent back to the browser.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.core import crypto, selectors
from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action, Role
from xianfeng.orgs.models import Org, OrgQuerySet
from xianfeng.people import idcard
from xianfeng.people.models import Person


def manageable_orgs(user: Any) -> OrgQuerySet:
    """Active orgs where the user may grant roles."""
    return Org.objects.restrict(user, Action.MANAGE_ROLES).active()


def role_choices(user: Any) -> list[tuple[str, Any]]:
    """All roles for global admins; the system administrator role is theirs alone to grant."""
    if selectors.manages_everything(user):
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != Role.SYSTEM_ADMIN]


def _org_label(org: Org, base_depth: int) -> str:
    return "\u3000" * max(org.depth - base_depth, 0) + org.display_name


class OrgChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Orgs indented by depth below the top of the user's scope."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(Org.objects.none(), *args, **kwargs)
        self.base_depth = 1

    def set_orgs(self, orgs: OrgQuerySet) -> None:
        self.queryset = orgs
        self.base_depth = orgs.aggregate(base=Min("depth"))["base"] or 1

    def label_from_instance(self, obj: Any) -> str:
        return _org_label(obj, self.base_depth)


class PasswordFields(XianfengForm):
    """A new password typed twice; the strength rules are the service's (AUTH_PASSWORD_VALIDATORS)."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to rule out a typing mistake."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ; type the same password twice."))
        return cleaned


class UserCreateForm(PasswordFields):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; used to log in. Unique, ignoring case."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    full_name = forms.CharField(label=_("Name"), max_length=150)
    member = forms.CharField(
        label=_("Linked member"),
        required=False,
        max_length=64,
        help_text=_(
            "Optional: the member who uses this account (exact name, employee number or full ID number). "
            "They then see their own record."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    org = OrgChoiceField(
        label=_("Organization of the first role"),
        required=False,
        empty_label="—",
        help_text=_("The role applies to the organization and everything below it."),
    )
    role = forms.ChoiceField(label=_("First role"), required=False)

    field_order = ("username", "full_name", "password", "password2", "member", "org", "role")
    fieldset_layout = (
        (_("Account"), ("username", "full_name", "password", "password2")),
        (_("Member and first role"), ("member", "org", "role")),
    )
    error_field_map = {"person": "member"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["org"].set_orgs(manageable_orgs(user))  # type: ignore[attr-defined]
        self.fields["role"].choices = [("", "—"), *role_choices(user)]  # type: ignore[attr-defined]
        self.person: Person | None = None

    def clean_member(self) -> str:
        value = self.cleaned_data["member"].strip()
        self.person = find_member(self.user, value) if value else None
        return value


def find_member(user: Any, value: str) -> Person:
    """A member of the user's MANAGE_ROLES subtrees by membership code, full ID number, employee
    number or exact name; a clear error when there is none or more than one."""
    people = Person.objects.restrict(user, Action.MANAGE_ROLES).select_related("membership__org")
    try:
        query = Q(membership__code=uuid.UUID(value))
    except ValueError:
        query = Q(employee_no=value) | Q(name=value)
        normalized = idcard.normalize(value)
        if len(normalized) == 18:
            query |= Q(id_number_hash=crypto.lookup_hash(normalized))
    found = list(people.filter(query)[:6])
    if not found:
        raise ValidationError(
            _(
                "No member of your organizations matches; type the exact name, employee number or full ID number."
            )
        )
    if len(found) > 1:
        names = "、".join(f"{p.name}（{p.membership.org.display_name}）" for p in found[:5])
        raise ValidationError(
            _("Several members match (%(names)s); type the employee number or the full ID number.")
            % {"names": names}
        )
    return found[0]


class PasswordResetForm(PasswordFields):
    pass


class GrantForm(XianfengForm):
    org = OrgChoiceField(
        label=_("Organization"),
        empty_label="—",
        help_text=_("Only organizations where you manage roles; the role applies to everything below."),
        error_messages={
            "invalid_choice": _("Choose one of the listed organizations: those where you manage roles.")
        },
    )
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].set_orgs(manageable_orgs(user))  # type: ignore[attr-defined]
        self.fields["role"].choices = [("", "—"), *role_choices(user)]  # type: ignore[attr-defined]
        self.fields["role"].error_messages["invalid_choice"] = _(
            "Choose one of the listed roles; the system administrator role is granted by system "
            "administrators of the whole organization only."
        )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Role"), required=False)
    org = forms.IntegerField(label=_("Organization (with sub-organizations)"), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", pgettext_lazy("account", "Active")), ("no", _("Deactivated"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Any role")), *Role.choices]  # type: ignore[attr-defined]
