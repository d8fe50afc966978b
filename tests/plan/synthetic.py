"""Synthetic sections in the shapes of ``plan.sections``, for the plan-document tests.

Plugged in through ``settings.PSM_PLAN_PROVIDERS`` (``PROVIDERS`` below), they fill every
section, the final plan's council and agenda too, without writing the rows the real providers
read. Sizes come from ``settings.PSM_PLAN_SYNTHETIC`` (``{"objectives": 16, "projects": 40}``);
the output is deterministic. The benchmark writes real rows instead (``bench/plan_data.py``).
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.conf import settings

DEFAULT_SIZES = {"objectives": 16, "projects": 40, "questions": 4}
AXES = [
    "Territorio connesso",
    "Ambiente e aree interne",
    "Economia del mare e turismo",
    "Comunità e servizi",
    "Innovazione e lavoro",
    "Cultura e identità",
]
FUNDS = ["PNRR", "FSC 2021-2027", "PR FESR Sicilia", "Fondi regionali", "Bilancio della Città Metropolitana"]
STATUSES = ["in programmazione", "in progettazione", "finanziato", "in esecuzione", "concluso"]
QUESTION_TEXTS = {
    "single": "Quanto è importante il tema {n} per il tuo comune?",
    "likert": "Il servizio {n} funziona bene nel tuo comune",
    "ranking": "Metti in ordine le priorità del tema {n}",
    "number": "Quanti minuti impieghi per raggiungere il servizio {n}?",
}
RANKED = ["Strade", "Porti", "Scuole", "Dissesto idrogeologico", "Digitale"]
VISION_TEXT = (
    "Una Città Metropolitana connessa, dallo Stretto alle Eolie e ai Nebrodi, dove i 108 comuni crescono insieme: "
    "servizi vicini alle persone, un ambiente custodito e un'economia che valorizza il mare, la cultura e il lavoro."
)


def sizes() -> dict[str, int]:
    return {**DEFAULT_SIZES, **getattr(settings, "PSM_PLAN_SYNTHETIC", {})}


def _municipality_names() -> list[str]:
    from municipalities.models import Municipality

    return list(Municipality.objects.order_by("istat_code").values_list("name", flat=True))


def _municipality_codes() -> list[str]:
    from municipalities.models import Municipality

    return list(Municipality.objects.order_by("istat_code").values_list("istat_code", flat=True))


def vision(kind: str) -> dict:
    return {"title": "Messina metropolitana 2030", "html": f"<p>{VISION_TEXT}</p>", "version": 3}


def objective_tree(count: int, project_count: int, names: list[str]) -> list[dict]:
    """A tree of ``count`` objectives (axes, general, specific) with ``project_count`` projects on specific ones."""
    rng = random.Random(20270101)
    axes = max(1, count // 15)
    general = axes * 3
    specific = max(general, count - axes - general)
    tree, leaves = [], []
    for a in range(axes):
        axis = _node(f"A{a + 1}", 1, AXES[a % len(AXES)])
        tree.append(axis)
    for g in range(general):
        axis = tree[g % axes]
        node = _node(f"{axis['code']}.{len(axis['children']) + 1}", 2, f"Obiettivo generale {g + 1}")
        axis["children"].append(node)
    generals = [child for axis in tree for child in axis["children"]]
    for s in range(specific):
        parent = generals[s % len(generals)]
        node = _node(f"{parent['code']}.{len(parent['children']) + 1}", 3, f"Obiettivo specifico {s + 1}")
        # Baselines with cents, as the indicators' decimal fields freeze them ("11.40"), printed "11,40".
        cents = [rng.randint(500, 4000) for _i in range(2)]
        node["indicators"] = [
            {
                "name": f"Indicatore {s + 1}.{i + 1}",
                "unit": "%",
                "baseline": f"{cents[i] // 100}.{cents[i] % 100:02d}",
                "target": str(rng.randint(41, 90)),
                "year": 2029,
            }
            for i in range(2)
        ]
        parent["children"].append(node)
        leaves.append(node)
    for p in range(project_count):
        leaf = leaves[p % len(leaves)]
        cost = Decimal(rng.randint(50, 5000) * 1000)
        share = (cost * Decimal("0.6")).quantize(Decimal("1"))
        leaf["projects"].append(
            {
                "title": f"Progetto {p + 1}: intervento per l'obiettivo {leaf['code']}",
                "cup": f"B{rng.randint(10, 99)}E{rng.randint(10**9, 10**10 - 1)}",
                "cost": str(cost),
                "funding": [
                    {"source": rng.choice(FUNDS), "amount": str(share)},
                    {"source": rng.choice(FUNDS), "amount": str(cost - share)},
                ],
                "municipalities": sorted(rng.sample(names, k=min(len(names), rng.randint(1, 3)))) if names else [],
                "status": rng.choice(STATUSES),
            }
        )
    return tree


def _node(code: str, level: int, title: str) -> dict:
    return {
        "code": code,
        "level": level,
        "title": title,
        "description": f"Descrizione dell'obiettivo {code}.",
        "indicators": [],
        "children": [],
        "projects": [],
    }


def objectives(kind: str) -> dict:
    size = sizes()
    return {"items": objective_tree(size["objectives"], size["projects"], _municipality_names())}


def questionnaire(kind: str) -> dict:
    """Closed questions of every charted kind in turn (choices, Likert, ranking, number), as the real
    provider freezes them: chart data from ``surveys.results.chart_data``."""
    from django.utils import translation

    from surveys.models import Kind, Question
    from surveys.results import QuestionResult, bar_rows, chart_data, ranking_rows

    rng = random.Random(7)
    codes = _municipality_codes()
    by_municipality = {code: rng.randint(0, 60) for code in codes}
    responses = sum(by_municipality.values())
    kinds = [Kind.SINGLE, Kind.LIKERT, Kind.RANKING, Kind.NUMBER]
    questions = []
    with translation.override("it"):
        for q in range(sizes()["questions"]):
            kind = kinds[q % len(kinds)]
            question = Question(pk=q + 1, kind=kind, text=QUESTION_TEXTS[kind].format(n=q + 1))
            result = QuestionResult(question, respondents=responses)
            if kind == Kind.SINGLE:
                labels = ["Molto importante", "Importante", "Poco importante", "Per nulla importante"]
                counts = _split(responses, len(labels), rng)
                result.rows = bar_rows(list(zip(labels, counts, strict=True)), respondents=responses)
                result.chart = "bars"
            elif kind == Kind.LIKERT:
                scale = question.scale()
                counts = _split(responses, len(scale), rng)
                result.rows = bar_rows(
                    [(label, n) for (_v, label), n in zip(scale, counts, strict=True)], respondents=responses
                )
                result.average = sum(v * n for (v, _label), n in zip(scale, counts, strict=True)) / (responses or 1)
                result.chart = "likert"
            elif kind == Kind.RANKING:
                ranked = [rng.randint(0, responses) for _ in RANKED]
                items = [(label, n, rng.randint(n, 3 * n)) for label, n in zip(RANKED, ranked, strict=True)]
                result.rows = ranking_rows(items, top=3, respondents=responses)
                result.chart = "ranking"
            else:
                result.respondents = rng.randint(1, responses or 1)
                result.average, result.minimum, result.maximum = rng.uniform(10, 60), 1, 180
                result.chart = "number"
            questions.append({"number": q + 1, **chart_data(result)})
    return {
        "title": "Il futuro del territorio metropolitano",
        "responses": responses,
        "questions": questions,
        "by_municipality": by_municipality,
    }


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    edges = [0, *cuts, total]
    return [edges[i + 1] - edges[i] for i in range(parts)]


def needs(kind: str) -> dict:
    rng = random.Random(11)
    return {"by_municipality": {code: rng.randint(0, 6) for code in _municipality_codes()}}


def council(kind: str) -> dict:
    """The shape of ``plan.council_section.council_provider``: an approving deliberation with two amendments."""
    return {
        "label": "Delibera n. 42/2027",
        "number": 42,
        "year": 2027,
        "date": "2027-06-30",
        "session": "seduta ordinaria del 30/06/2027",
        "present": 18,
        "votes_for": 14,
        "votes_against": 3,
        "abstained": 1,
        "outcome": "approvato",
        "corrects": "",
        "document": {"kind": "Piano finale", "version": 3, "sha256": "ab" * 32},
        "projects": [
            {"cup": "B12E1234567890", "title": "Porto di Milazzo: banchina", "amount": "1250000.00", "year": 2027},
            {"cup": "", "title": "Strada provinciale 4: messa in sicurezza", "amount": "480000.00", "year": 2028},
        ],
        "amendments": [
            {
                "number": 1,
                "target": "cambiare l'importo di un progetto",
                "subject": "Porto di Milazzo: banchina (CUP B12E1234567890)",
                "text": "",
                "amount": "1250000.00",
                "year": None,
                "state": "approved",
                "outcome": "approvato",
                "present": 18,
                "votes_for": 12,
                "votes_against": 5,
                "abstained": 1,
            },
            {
                "number": 2,
                "target": "una sezione del testo del piano",
                "subject": "La Visione",
                "text": "Aggiungere le aree interne dei Nebrodi.",
                "amount": "",
                "year": None,
                "state": "withdrawn",
                "outcome": "ritirato",
                "present": None,
                "votes_for": None,
                "votes_against": None,
                "abstained": None,
            },
        ],
    }


def agenda(kind: str) -> dict:
    actions = [
        {
            "code": f"A2027.{i + 1}",
            "title": f"Azione {i + 1}",
            "description": "Descrizione dell'azione.",
            "office": "Viabilità",
            "contributing": ["Ambiente"] if i % 2 else [],
            "start_quarter": 1,
            "due_quarter": 2 + i % 3,
            "quarters": f"I–{['II', 'III', 'IV'][i % 3]} trimestre 2027",
            "budget": f"{(i + 1) * 1234.5:.2f}",
            "funding": "PNRR",
            "output": "Progetto esecutivo",
            "indicator": "Consegna (sì/no)",
            "status": "programmata",
            "projects": [{"title": f"Progetto {i + 1}", "cup": ""}],
        }
        for i in range(5)
    ]
    return {
        "years": [
            {
                "year": 2027,
                "version": 1,
                "title": "Agenda annuale 2027",
                "approved": True,
                "status": "approvata",
                "act": "Delibera n. 42/2027",
                "approved_on": "2027-06-30",
                "submitted_on": "2027-05-02",
                "count": len(actions),
                "budget": f"{sum(float(a['budget']) for a in actions):.2f}",
                "groups": [{"code": "A1.1", "title": "Viabilità provinciale", "actions": actions}],
            }
        ]
    }


PROVIDERS = {
    "vision": "tests.plan.synthetic.vision",
    "objectives": "tests.plan.synthetic.objectives",
    "questionnaire": "tests.plan.synthetic.questionnaire",
    "needs": "tests.plan.synthetic.needs",
    "council": "tests.plan.synthetic.council",
    "agenda": "tests.plan.synthetic.agenda",
}
