"""Reserved area: the indicators measured. The team (every indicator) and the offices (the indicators of the
objectives their agenda actions serve) enter the value each indicator measured in a year, with its source."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from implementation.forms import IndicatorValueForm
from implementation.indicators import indicators_for, series, with_values
from implementation.services import indicator_value_record
from phases.phases import Feature
from phases.predicates import gate
from projects.views.common import attach_errors
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required

PAGE_SIZE = 50


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def indicator_list(request):
    indicators = (
        indicators_for(request.user)
        .annotate(measured=Count("measurements"), last_year=Max("measurements__year"))
        .order_by("objective__sort_key", "order", "pk")
    )
    page = Paginator(indicators, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "implementation/indicator_list.html", {"page": page})


@role_required(Role.OFFICE, Role.TEAM)
@require_http_methods(["GET", "POST"])
def indicator_detail(request, pk: int):
    # An indicator the user may not measure does not exist for them: 404, as for a forged id.
    indicator = get_object_or_404(with_values(indicators_for(request.user)), pk=pk)
    status = gate(Feature.REPORT_PROGRESS)
    form = IndicatorValueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not status.open:
            messages.error(request, status.message)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                _value, created = indicator_value_record(
                    user=request.user,
                    indicator=indicator,
                    year=data["year"],
                    value=data["value"],
                    source=data["source"],
                    note=data["note"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                if created:
                    messages.success(request, _("Valore del %(year)s registrato.") % {"year": data["year"]})
                else:
                    messages.success(request, _("Valore del %(year)s corretto.") % {"year": data["year"]})
                return redirect("implementation:indicator", pk=indicator.pk)
    return render(
        request,
        "implementation/indicator_detail.html",
        {"indicator": indicator, "chart": series(indicator), "form": form, "gate": status},
    )
