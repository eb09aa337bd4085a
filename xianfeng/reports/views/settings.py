"""The unit's settings for generated documents: its layout profile, its template, and (for committee
administrators) the installation's list of mistaken terms."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xianfeng.core.forms import XianfengForm
from xianfeng.core.pages import call, org_choices, page_org
from xianfeng.core.roles import Action
from xianfeng.orgs.models import Org
from xianfeng.reports import checks, services
from xianfeng.reports.facts import declared_specs
from xianfeng.reports.forms import ProfileForm, TemplateForm, TermsForm
from xianfeng.reports.models import LayoutProfile, SummaryTemplate
from xianfeng.reports.profile import DEFAULT


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.CHANGE)
    own_profile = LayoutProfile.objects.filter(org=org).first()
    own_template = SummaryTemplate.objects.filter(org=org).first()
    inherited_profile, profile_owner = services.profile_for(org)
    template_text, template_owner = services.template_for(org)
    forms: dict[str, XianfengForm] = {
        "profile": ProfileForm(
            initial={
                "profile": json.dumps(own_profile.data, ensure_ascii=False, indent=2) if own_profile else ""
            }
        ),
        "template": TemplateForm(initial={"template": own_template.text if own_template else ""}),
        "terms": TermsForm(
            initial={"terms": "\n".join(f"{w} => {r}" if r else w for w, r in checks.current_terms())}
        ),
    }
    status = 200
    if request.method == "POST":
        which = request.POST.get("form", "")
        form_class = {"profile": ProfileForm, "template": TemplateForm, "terms": TermsForm}.get(which)
        if form_class is None or (which == "terms" and not services.may_edit_terms(request.user)):
            return HttpResponse(status=400)
        form: XianfengForm = form_class(request.POST)
        if form.is_valid():
            text = form.cleaned_data[which]
            if call(form, lambda: _save(request, org, which, text)):
                messages.success(request, _("Saved."))
                return redirect(reverse("reports:settings") + f"?org={org.pk}")
        forms[which] = form
        status = 400
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "forms": forms,
        "may_edit_terms": services.may_edit_terms(request.user),
        "profile_owner": profile_owner,
        "inherited_profile": json.dumps(inherited_profile, ensure_ascii=False, indent=2),
        "default_profile": json.dumps(DEFAULT, ensure_ascii=False, indent=2),
        "template_owner": template_owner,
        "effective_template": template_text,
        "specs": list(declared_specs().values()),
    }
    return render(request, "reports/settings.html", context, status=status)


def _save(request: HttpRequest, org: Org, which: str, text: str) -> bool:
    if which == "profile":
        services.profile_save(actor=request.user, org=org, text=text)
    elif which == "template":
        services.template_save(actor=request.user, org=org, text=text)
    else:
        services.terms_save(actor=request.user, text=text)
    return True
