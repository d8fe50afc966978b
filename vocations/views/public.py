"""Public pages: the vocations and the territorial areas, a vocation's results once a round is closed, the
scenarios side by side. Each page costs a fixed number of queries whatever the number of answers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from municipalities.maps import MunicipalityMap, by_area
from municipalities.models import Area, Municipality
from vocations import results
from vocations.models import Priority, Round, Scenario, Vocation
from vocations.review import public_state
from vocations.scenarios import comparison
from vocations.vocation_page import scenarios_page, vocation_page


@require_GET
def vocation_list(request):
    vocations = list(Vocation.objects.all())
    areas = list(Area.objects.all())
    shapes = list(Municipality.objects.for_map())
    fills, legend = by_area(shapes, areas)
    area_map = MunicipalityMap(
        title=_("Gli ambiti territoriali dei 108 comuni"),
        description=_("Ogni comune è colorato secondo il suo ambito; la tabella elenca gli ambiti."),
        fills=fills,
        notes={m.istat_code: next((a.name for a in areas if a.pk == m.area_id), "") for m in shapes},
        legend=legend,
        dom_id="mappa-ambiti",
    )
    counts = {a.pk: 0 for a in areas}
    for m in shapes:
        counts[m.area_id] = counts.get(m.area_id, 0) + 1
    round_ = Round.objects.latest_closed()
    summaries = results.summaries(round_, vocations) if round_ else []
    priorities = (
        list(
            Priority.objects.filter(round=round_)
            .select_related("vocation", "area")
            .order_by("area__order", "vocation__order")
        )
        if round_
        else []
    )
    chart = (
        results.chart(
            "grafico-vocazioni",
            _("Rilevanza media delle vocazioni per i comuni"),
            _("Media dei punteggi da 1 a 5 dati dai comuni che hanno risposto; la tabella riporta gli stessi numeri."),
            [(s.vocation.name, s.average) for s in summaries],
        )
        if summaries
        else None
    )
    return render(
        request,
        "vocations/list.html",
        {
            "vocations": vocations,
            "areas": [(a, counts.get(a.pk, 0)) for a in areas],
            "map": area_map,
            "shapes": shapes,
            "round": round_,
            "open_round": Round.objects.current_open(),
            "summaries": summaries,
            "chart": chart,
            "territory_priorities": [p for p in priorities if p.area_id is None],
            "area_priorities": [p for p in priorities if p.area_id is not None],
        },
    )


@require_GET
def vocation_detail(request, slug: str):
    vocation = get_object_or_404(Vocation.objects.prefetch_related("objectives"), slug=slug)
    round_ = Round.objects.latest_closed()
    context = {"vocation": vocation, "round": round_, "sections": vocation_page.collect(vocation, request.user)}
    if round_ is not None:
        areas = list(Area.objects.all())
        shapes = list(Municipality.objects.for_map())
        scores = results.municipality_scores(round_, vocation)
        table = results.area_table(round_, vocation, areas)
        area_names = {a.pk: a.name for a in areas}
        relevance_map = MunicipalityMap(
            title=_("Rilevanza di «%(name)s» per i comuni") % {"name": vocation.name},
            description=_(
                "Ogni comune è colorato secondo il punteggio da 1 a 5 che ha dato; grigio chi non ha risposto. "
                "La tabella dei comuni riporta gli stessi dati."
            ),
            fills=results.score_fills(scores),
            notes={
                code: _("rilevanza %(n)s") % {"n": values[0]} + (_(", prioritaria") if values[1] else "")
                for code, values in scores.items()
            },
            legend=results.score_legend(),
            dom_id="mappa-rilevanza",
        )
        context.update(
            {
                "map": relevance_map,
                "shapes": shapes,
                "area_table": table,
                "ranked": sorted((r for r in table if r.rank), key=lambda r: r.rank),
                "chart": results.chart(
                    "grafico-ambiti",
                    _("Rilevanza media per ambito"),
                    _("Media dei punteggi dei comuni di ogni ambito; la tabella riporta gli stessi numeri."),
                    [(r.area.name, r.average) for r in table],
                ),
                "rows": [
                    {
                        "municipality": m,
                        "area": area_names.get(m.area_id, ""),
                        "score": scores.get(m.istat_code, (None,))[0],
                        "priority": scores.get(m.istat_code, (None, False))[1],
                        "reason": scores.get(m.istat_code, (None, False, ""))[2],
                    }
                    for m in sorted(shapes, key=lambda m: m.name)
                ],
                "answered": len(scores),
                "priority_count": sum(1 for v in scores.values() if v[1]),
                "average": round(sum(v[0] for v in scores.values()) / len(scores), 2) if scores else None,
                "published": list(
                    Priority.objects.filter(round=round_, vocation=vocation)
                    .select_related("area")
                    .order_by("area__order")
                ),
            }
        )
    return render(request, "vocations/detail.html", context)


@require_GET
def scenario_list(request):
    scenarios = list(Scenario.objects.prefetch_related("vocations"))
    return render(
        request,
        "vocations/scenarios.html",
        {
            "scenarios": scenarios,
            "sections": scenarios_page.collect(scenarios, request.user),
            "review": public_state(),
            **comparison(scenarios),
        },
    )
