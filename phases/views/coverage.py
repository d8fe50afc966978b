"""Reserved area, PSM team only: who has answered a review of the Vision (map and tables) and the reminders to
the mayors who have not."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from municipalities.maps import MunicipalityMap, categorical
from municipalities.models import Municipality
from phases import coverage, services
from phases.models import Objective, Stance, VisionVersion
from psm_portal.accounts.permissions import team_required
from psm_portal.lib.params import as_int


@team_required
@require_GET
def coverage_dashboard(request):
    versions = list(
        VisionVersion.objects.published()
        .order_by("-number")
        .only("pk", "kind", "number", "status", "deadline", "title")
    )
    version = next((v for v in versions if v.is_open), versions[0] if versions else None)
    if (number := as_int(request.GET.get("versione"))) is not None:
        version = next((v for v in versions if v.number == number), version)
    if version is None:
        return render(request, "phases/coverage.html", {"version": None, "versions": versions})
    general = list(Objective.objects.general().in_tree_order().only("pk", "code", "title", "level", "sort_key"))
    expected = 1 + len(general)
    counts = coverage.municipality_counts(version)
    municipalities = list(Municipality.objects.for_map())
    states = coverage.municipality_states(
        version, expected, counts=counts, codes=[m.istat_code for m in municipalities]
    )
    rows = [
        {
            "municipality": m,
            "count": counts.get(m.istat_code, 0),
            "state": states[m.istat_code],
            "label": coverage.STATE_LABELS[states[m.istat_code]],
        }
        for m in municipalities
    ]
    rows.sort(key=lambda r: r["municipality"].name)
    fills, legend = categorical(states, coverage.STATE_PALETTE)
    notes = {r["municipality"].istat_code: f"{r['label']} ({r['count']}/{expected})" for r in rows}
    coverage_map = MunicipalityMap(
        title=_("Chi ha risposto sulla versione %(n)s della Visione") % {"n": version.number},
        description=_(
            "Ogni comune è colorato secondo lo stato della sua risposta; la tabella riporta gli stessi dati."
        ),
        fills=fills,
        notes=notes,
        legend=legend,
        dom_id="mappa-copertura",
    )
    summary = {state: sum(1 for r in rows if r["state"] == state) for state in coverage.STATE_LABELS}
    offices = coverage.office_rows(version, expected)
    for row in offices:
        row["label"] = coverage.STATE_LABELS[row["state"]]
    return render(
        request,
        "phases/coverage.html",
        {
            "version": version,
            "versions": versions,
            "rows": rows,
            "map": coverage_map,
            "shapes": municipalities,
            "summary": [(coverage.STATE_LABELS[s], n) for s, n in summary.items()],
            "offices": offices,
            "expected": expected,
            "totals": coverage.totals_table(version, general),
            "stances": Stance.choices,
            "review_open": services.review_gate(version)[0],
        },
    )


@team_required
@require_POST
def coverage_remind(request):
    version = VisionVersion.objects.open_for_review().first()
    allowed, message = services.review_gate(version)
    if not allowed:
        messages.error(request, message)
        return redirect("phases:coverage")
    services.reminders_enqueue(version=version, actor=request.user)
    messages.success(
        request,
        _(
            "Promemoria in invio ai sindaci dei comuni che non hanno ancora risposto (al massimo uno al giorno per sindaco)."
        ),
    )
    return redirect("phases:coverage")
