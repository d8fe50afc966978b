"""Demo data for ``manage.py seed_demo``: the governance model (version 1 adopted, version 2 open), two reporting cycles, three months apart, with the offices' reports on
the demo projects and agenda actions, mostly validated by the team, so that /attuazione/ shows movement.
Written through the services, by the demo office users (the team for offices without one). Idempotent: nothing
is done once a cycle exists. Then two years of measured values for the indicators of the objectives tree, moving
from the baseline towards the target (once: nothing once a value exists)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from implementation.models import (
    GovernanceBody,
    GovernanceVersion,
    IndicatorValue,
    OfficeReferent,
    Progress,
    ReportingCycle,
    ReviewFrequency,
)
from implementation.services import (
    cycle_create,
    indicator_value_record,
    report_return,
    report_submit,
    report_validate,
)
from implementation.subjects import office_of, reportable_actions, reportable_projects
from phases.models import DocumentKind, Indicator, Position, Stance, VisionStatus
from psm_portal.accounts.models import Office, User
from psm_portal.lib.html import sanitize_html

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _title(day) -> str:
    return f"{ROMAN[(day.month - 1) // 3 + 1]} trimestre {day.year}"


def _progress(percent: int, late: bool) -> str:
    if percent == 0:
        return Progress.NOT_STARTED
    if percent == 100:
        return Progress.COMPLETED
    return Progress.DELAYED if late else Progress.ON_TRACK


def _funding(subject, percent: int) -> list[dict]:
    """Committed and paid amounts in step with the completion, on the subject's own sources."""
    if hasattr(subject, "funding_lines"):
        lines = [(line.source, line.amount) for line in subject.funding_lines.all()]
    else:
        lines = [(subject.funding_source, subject.budget)] if subject.funding_source else []
    rows = []
    for source, amount in lines:
        committed = (amount * Decimal(min(100, percent + 30)) / 100).quantize(Decimal("0.01"))
        paid = (amount * Decimal(percent) / 100 * Decimal("0.8")).quantize(Decimal("0.01"))
        rows.append({"source": source, "committed": committed, "paid": min(paid, committed)})
    return rows


def _past(day, today):
    return day if day <= today else None


GOVERNANCE_TEXT = """<p>L'attuazione del Piano Strategico Metropolitano è guidata da una <strong>cabina di regia</strong>
presieduta dal Sindaco metropolitano, che verifica ogni trimestre l'avanzamento dei progetti e delle azioni
dell'agenda annuale sulla base delle rilevazioni degli uffici validate dal team PSM.</p>
<h2>Principi</h2>
<ul><li>Ogni azione ha un solo ufficio responsabile, che ne risponde alla cabina di regia.</li>
<li>Ogni ufficio nomina un referente per l'attuazione.</li>
<li>I comuni sono informati a ogni verifica e possono chiedere un'audizione.</li></ul>"""
GOVERNANCE_TEXT_V2 = GOVERNANCE_TEXT.replace(
    "I comuni sono informati a ogni verifica e possono chiedere un'audizione.",
    "I comuni sono informati a ogni verifica e partecipano, per zone omogenee, a un tavolo territoriale semestrale.",
)
GOVERNANCE_BODIES = [
    (
        "Cabina di regia",
        "Sindaco metropolitano (presidente), Segretario generale, dirigenti dei servizi con progetti nel piano.",
        "Indirizzo e verifica dell'attuazione; decide le correzioni di rotta e le riprogrammazioni.",
        ReviewFrequency.QUARTERLY,
    ),
    (
        "Team PSM",
        "Ufficio di piano della Città Metropolitana.",
        "Apre i cicli di rendicontazione, valida le rilevazioni degli uffici, prepara la relazione annuale.",
        ReviewFrequency.MONTHLY,
    ),
]


def seed_governance(team) -> str:
    """An adopted governance model (version 1) and version 2 open to positions, with an office's and a mayor's
    position. Written as the Vision's demo versions are: with their history in the past. Idempotent."""
    if GovernanceVersion.objects.exists():
        return ""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    offices = list(Office.objects.order_by("name"))
    versions = []
    for number, title, text, status, dates in (
        (
            1,
            "Governance dell'attuazione — prima versione",
            GOVERNANCE_TEXT,
            VisionStatus.ADOPTED,
            {
                "opened_at": now - timedelta(days=50),
                "deadline": now - timedelta(days=30),
                "closed_at": now - timedelta(days=30),
                "adopted_at": now - timedelta(days=28),
                "notified_at": now - timedelta(days=50),
            },
        ),
        (
            2,
            "Governance dell'attuazione — tavoli territoriali",
            GOVERNANCE_TEXT_V2,
            VisionStatus.OPEN,
            {"opened_at": now - timedelta(days=3), "deadline": now + timedelta(days=20), "notified_at": now},
        ),
    ):
        version = GovernanceVersion.documents.create(
            kind=DocumentKind.GOVERNANCE,
            number=number,
            title=title,
            text=sanitize_html(text),
            status=status,
            created_by=team,
            **dates,
        )
        for order, (name, members, duties, frequency) in enumerate(GOVERNANCE_BODIES, start=1):
            GovernanceBody.objects.create(
                version=version,
                order=order,
                name=name,
                members=members,
                duties=duties,
                review_frequency=frequency,
            )
        for office in offices:
            OfficeReferent.objects.create(
                version=version,
                office=office,
                referent=f"Dirigente del servizio {office.name}",
                duties="Rendiconta ogni trimestre i progetti e le azioni di cui l'ufficio è responsabile.",
            )
        versions.append(version)
    mayor = User.objects.filter(email="sindaco.b@demo.psm.local").select_related("municipality").first()
    office_user = User.objects.filter(email="ufficio.a@demo.psm.local").first()
    for version, stance in ((versions[0], Stance.AGREE), (versions[1], Stance.AGREE_WITH_CHANGES)):
        if office_user is not None and office_user.office_id:
            Position.objects.create(
                version=version,
                office_id=office_user.office_id,
                stance=stance,
                comment="Chiediamo verifiche bimestrali per le azioni PNRR." if stance != Stance.AGREE else "",
                author=office_user,
            )
        if mayor is not None and mayor.municipality_id:
            Position.objects.create(
                version=version, municipality_id=mayor.municipality_id, stance=Stance.AGREE, author=mayor
            )
    return "Modello di governance: versione 1 adottata, versione 2 aperta alle posizioni."


def seed(stdout) -> None:
    team = User.objects.filter(email="team@demo.psm.local").first()
    if team is None:
        return
    if message := seed_governance(team):
        stdout.write(message)
    _seed_reports(team, stdout)
    _seed_indicators(team, stdout)


def _seed_indicators(team, stdout) -> None:
    """Last year's and this year's values of every indicator with a baseline and a target."""
    if IndicatorValue.objects.exists():
        return
    year = timezone.localdate().year
    indicators = Indicator.objects.filter(baseline__isnull=False, target__isnull=False).order_by("pk")
    count = 0
    for index, indicator in enumerate(indicators):
        gap = indicator.target - indicator.baseline
        for offset, share in (
            (1, Decimal("0.15") + Decimal(index % 3) / 20),
            (0, Decimal("0.35") + Decimal(index % 4) / 20),
        ):
            indicator_value_record(
                user=team,
                indicator=indicator,
                year=year - offset,
                value=indicator.baseline + gap * share,
                source="Ufficio statistico della Città Metropolitana (dato dimostrativo)",
                note="Valore dimostrativo." if offset else "",
            )
            count += 1
    stdout.write(f"Indicatori: {count} valori misurati.")


def _seed_reports(team, stdout) -> None:
    if ReportingCycle.objects.exists():
        return
    today = timezone.localdate()
    first_day, second_day = today - timedelta(days=100), today - timedelta(days=8)
    first = cycle_create(
        user=team, title=_title(first_day), opens_on=first_day, closes_on=first_day + timedelta(days=30)
    )
    second = cycle_create(
        user=team, title=_title(second_day), opens_on=second_day, closes_on=second_day + timedelta(days=30)
    )
    staff = {u.office_id: u for u in User.objects.filter(email__endswith="@demo.psm.local", office__isnull=False)}
    subjects = [
        *reportable_projects().filter(local_code__startswith="DEMO-").prefetch_related("funding_lines").order_by("pk"),
        *reportable_actions().select_related("agenda").order_by("agenda__year", "position"),
    ]
    counts = {"validated": 0, "pending": 0, "returned": 0}
    for index, subject in enumerate(subjects):
        author = staff.get(office_of(subject).pk, team)
        start = (index * 13) % 50
        late = index % 4 == 3
        later = min(100, start + 15 + (index * 7) % 40)
        planned = today + timedelta(days=30 * (index % 6) - 60)
        milestones = [
            {
                "title": "Affidamento",
                "planned_on": planned - timedelta(days=90),
                "achieved_on": _past(planned - timedelta(days=80 - 20 * late), today),
            },
            {
                "title": "Avvio dei lavori",
                "planned_on": planned,
                "achieved_on": _past(planned, today) if later > 40 else None,
            },
        ]
        for cycle, percent in ((first, start), (second, later)):
            report = report_submit(
                user=author,
                cycle=cycle,
                subject=subject,
                progress=_progress(percent, late),
                percent=percent,
                note="Rilevazione dimostrativa.",
                milestones=milestones,
                funding=_funding(subject, percent),
            )
            if cycle is second and index % 9 == 4:
                counts["pending"] += 1
                continue
            if cycle is second and index % 9 == 7:
                report_return(user=team, report=report, reason="Indicare anche gli importi pagati dalla Regione.")
                counts["returned"] += 1
                continue
            report_validate(user=team, report=report)
            counts["validated"] += 1
    stdout.write(
        f"Attuazione: cicli «{first}» e «{second}», {counts['validated']} rilevazioni validate, "
        f"{counts['pending']} da verificare, {counts['returned']} rinviate."
    )
