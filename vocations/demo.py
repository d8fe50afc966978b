"""Demo data of the vocations: six vocations, a closed round answered by most comuni (the two demo mayors through
the service), the priority vocations published, two scenarios and the reference choice. Idempotent: nothing is
added once a round exists."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from municipalities.models import Area, Municipality
from phases.models import DocumentKind, Indicator, Objective, Position, Stance, VisionStatus
from psm_portal.accounts.models import Office, Role, User
from psm_portal.lib.html import sanitize_html
from vocations import services
from vocations.models import Answer, Rating, Round, Scenario, ScenarioReview, Target, Vocation
from vocations.services import RatingInput

# slug, name, description, general objectives, offices of its field, the areas where it is strongest
VOCATIONS = [
    (
        "economia-del-mare",
        "Economia del mare e portualità",
        "Porti, cantieristica, pesca e servizi marittimi sullo Stretto, sulle due coste e nelle isole.",
        ["A2", "B2"],
        ["viabilita"],
        {"stretto", "eolie", "tirrenica-mela"},
    ),
    (
        "turismo",
        "Turismo culturale e naturalistico",
        "Borghi, siti UNESCO, parchi dei Nebrodi e dell'Alcantara, isole Eolie, Taormina.",
        ["C1"],
        ["sviluppo-economico"],
        {"eolie", "ionica", "alcantara", "nebrodi"},
    ),
    (
        "agroalimentare",
        "Agroalimentare di qualità",
        "Filiere dei prodotti tipici, zootecnia dei Nebrodi, agrumi, vino e olio.",
        ["C2"],
        ["sviluppo-economico"],
        {"nebrodi", "tirrenica-patti", "alcantara"},
    ),
    (
        "energie-rinnovabili",
        "Energie rinnovabili",
        "Comunità energetiche, solare sui tetti pubblici, efficienza degli edifici.",
        ["B1"],
        ["ambiente"],
        {"eolie", "tirrenica-mela"},
    ),
    (
        "logistica",
        "Logistica e trasporti",
        "Attraversamento dello Stretto, interporti, collegamenti ferroviari e stradali con le aree interne.",
        ["A1"],
        ["viabilita"],
        {"stretto", "tirrenica-mela"},
    ),
    (
        "manifattura",
        "Manifattura e artigianato",
        "Piccola industria, artigianato artistico (ceramica di Santo Stefano di Camastra), area industriale del Mela.",
        ["C2"],
        ["sviluppo-economico"],
        {"tirrenica-mela", "tirrenica-patti", "nebrodi"},
    ),
]

SCENARIOS = [
    (
        "tendenziale",
        "Scenario tendenziale",
        "Il territorio prosegue lungo le tendenze di oggi: spopolamento delle aree interne, turismo concentrato "
        "sulla costa ionica e sulle isole, porti che crescono lentamente.",
        "Nessuna politica nuova oltre a quelle in corso; fondi PNRR spesi entro il 2026.",
        ["turismo"],
        {"Strade provinciali riqualificate": 60, "Approdi adeguati": 6, "Tasso di occupazione 20-34 anni": 40},
    ),
    (
        "obiettivo",
        "Scenario obiettivo: mare, turismo e filiere",
        "Il piano punta sull'economia del mare, sul turismo lungo tutto l'anno e sulle filiere agroalimentari; "
        "le aree interne si collegano ai poli urbani.",
        "Attuazione dell'agenda annuale; integrazione dei fondi europei 2021-2027; gestione associata tra comuni.",
        ["economia-del-mare", "turismo", "agroalimentare"],
        {"Strade provinciali riqualificate": 180, "Approdi adeguati": 12, "Tasso di occupazione 20-34 anni": 48},
    ),
]


def _score(vocation_index: int, strong: bool, code: str) -> int:
    """A plausible score: higher where the vocation is strong, varied by comune (deterministic)."""
    wobble = (int(code) * (vocation_index + 3)) % 3 - 1  # -1, 0 or +1
    return max(1, min(5, (4 if strong else 2) + wobble))


def seed_vocations() -> list[Vocation]:
    objectives = {o.code: o for o in Objective.objects.general()}
    offices = {o.code: o for o in Office.objects.all()}
    result = []
    for order, (slug, name, description, codes, office_codes, _areas) in enumerate(VOCATIONS, start=1):
        vocation, created = Vocation.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
        if created:
            vocation.objectives.set([objectives[c] for c in codes if c in objectives])
            vocation.offices.set([offices[c] for c in office_codes if c in offices])
        result.append(vocation)
    return result


def seed_round(vocations: list[Vocation]) -> Round | None:
    team = User.objects.filter(role=Role.TEAM, is_active=True).order_by("pk").first()
    if team is None or Round.objects.exists():
        return None
    round_ = services.round_create(
        title="Consultazione sulle vocazioni 2026", deadline=timezone.now() - timedelta(days=1), actor=team
    )
    round_ = services.round_open(round_=round_, actor=team)
    strong = {slug: areas for slug, *_rest, areas in VOCATIONS}
    # The two demo mayors answer through the service, as on the page.
    mayors = User.objects.filter(role=Role.MAYOR, is_active=True, municipality__isnull=False).select_related(
        "municipality__area"
    )
    for mayor in mayors:
        m = mayor.municipality
        ratings = {
            v.pk: RatingInput(_score(i, m.area.code in strong[v.slug], m.istat_code)) for i, v in enumerate(vocations)
        }
        top = sorted(vocations, key=lambda v: -ratings[v.pk].score)[:2]
        for v in top:
            ratings[v.pk] = RatingInput(ratings[v.pk].score, True, "Una risorsa del nostro territorio.")
        services.answer_submit(user=mayor, round_=round_, ratings=ratings)
    # Most other comuni (three in four) answered too.
    answered = set(Answer.objects.filter(round=round_).values_list("municipality_id", flat=True))
    for m in Municipality.objects.select_related("area").order_by("istat_code"):
        if m.istat_code in answered or int(m.istat_code) % 4 == 0:
            continue
        answer = Answer.objects.create(round=round_, municipality=m, author=team)
        scores = [_score(i, m.area.code in strong[v.slug], m.istat_code) for i, v in enumerate(vocations)]
        best = max(range(len(scores)), key=lambda i: scores[i])
        Rating.objects.bulk_create(
            Rating(
                answer=answer,
                vocation=v,
                score=scores[i],
                priority=i == best,
                reason="La vocazione più forte del comune." if i == best else "",
            )
            for i, v in enumerate(vocations)
        )
    # One member of each office rates the vocations of its field, through the service.
    seen = set()
    for clerk in User.objects.filter(role=Role.OFFICE, is_active=True, office__isnull=False).order_by("pk"):
        if clerk.office_id in seen or not services.vocations_for(clerk):
            continue
        seen.add(clerk.office_id)
        services.answer_submit(
            user=clerk, round_=round_, ratings={v.pk: RatingInput(4) for v in services.vocations_for(clerk)}
        )
    round_ = services.round_close(round_=round_, actor=team)
    by_slug = {v.slug: v for v in vocations}
    services.priorities_publish(
        round_=round_,
        area=None,
        vocations=[by_slug["economia-del-mare"], by_slug["turismo"], by_slug["agroalimentare"]],
        rationale="Le tre vocazioni con la rilevanza media più alta e indicate più spesso come priorità dai comuni.",
        evidence="/vocazioni/economia-del-mare/\n/vocazioni/turismo/\n/vocazioni/agroalimentare/",
        actor=team,
    )
    for code, slugs in (("eolie", ["turismo", "economia-del-mare"]), ("nebrodi", ["agroalimentare", "turismo"])):
        area = Area.objects.filter(code=code).first()
        if area is not None:
            services.priorities_publish(
                round_=round_,
                area=area,
                vocations=[by_slug[s] for s in slugs],
                rationale="Le vocazioni prime nella classifica dell'ambito.",
                evidence=f"/vocazioni/{slugs[0]}/",
                actor=team,
            )
    return round_


def seed_scenarios(vocations: list[Vocation]) -> int:
    if Scenario.objects.exists():
        return 0
    by_slug = {v.slug: v for v in vocations}
    indicators = {i.name: i for i in Indicator.objects.all()}
    scenarios = []
    for order, (slug, title, narrative, assumptions, slugs, targets) in enumerate(SCENARIOS, start=1):
        scenario = Scenario.objects.create(
            slug=slug, title=title, narrative=narrative, assumptions=assumptions, order=order
        )
        scenario.vocations.set([by_slug[s] for s in slugs])
        Target.objects.bulk_create(
            Target(scenario=scenario, indicator=indicators[name], value=value)
            for name, value in targets.items()
            if name in indicators
        )
        scenarios.append(scenario)
    team = User.objects.filter(role=Role.TEAM, is_active=True).order_by("pk").first()
    if team is not None:
        services.scenario_choose_reference(scenario=scenarios[-1], actor=team)
    return len(scenarios)


SCENARIO_REVIEW_TEXT = """<p>Il team ha scritto due scenari di sviluppo al 2035: uno <strong>tendenziale</strong>, se le
politiche restano quelle di oggi, e uno <strong>obiettivo</strong>, che punta sulle vocazioni prioritarie del
territorio. Sindaci e uffici dicono se condividono gli scenari e che cosa cambierebbero.</p>"""


def seed_scenario_review() -> int:
    """A closed review of the scenarios (version 1) with the positions of two demo mayors and an office: the
    totals /scenari/ shows. Written with its history in the past; idempotent."""
    if ScenarioReview.objects.exists():
        return 0
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    team = User.objects.filter(role=Role.TEAM, is_active=True).order_by("pk").first()
    version = ScenarioReview.documents.create(
        kind=DocumentKind.SCENARIOS,
        number=1,
        title="Gli scenari di sviluppo al 2035",
        text=sanitize_html(SCENARIO_REVIEW_TEXT),
        status=VisionStatus.CLOSED,
        created_by=team,
        opened_at=now - timedelta(days=20),
        deadline=now - timedelta(days=5),
        closed_at=now - timedelta(days=5),
        notified_at=now - timedelta(days=20),
    )
    count = 0
    for email, stance, comment in (
        ("sindaco.a@demo.psm.local", Stance.AGREE, ""),
        ("sindaco.b@demo.psm.local", Stance.AGREE_WITH_CHANGES, "Più peso alla continuità territoriale delle isole."),
    ):
        mayor = User.objects.filter(email=email, municipality__isnull=False).first()
        if mayor is not None:
            Position.objects.create(
                version=version, municipality_id=mayor.municipality_id, stance=stance, comment=comment, author=mayor
            )
            count += 1
    office_user = User.objects.filter(email="ufficio.a@demo.psm.local", office__isnull=False).first()
    if office_user is not None:
        Position.objects.create(
            version=version,
            office_id=office_user.office_id,
            stance=Stance.DISAGREE,
            comment="Lo scenario obiettivo sottostima i tempi delle opere portuali.",
            author=office_user,
        )
        count += 1
    return count


def seed(stdout) -> None:
    vocations = seed_vocations()
    round_ = seed_round(vocations)
    scenarios = seed_scenarios(vocations)
    seed_scenario_review()
    answers = round_.answers.count() if round_ else 0
    stdout.write(f"Vocazioni: {len(vocations)}, {answers} risposte in una consultazione chiusa, {scenarios} scenari.")
