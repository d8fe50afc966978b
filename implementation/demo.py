"""Demo data for ``manage.py seed_demo``: two reporting cycles, three months apart, with the offices' reports on
the demo projects and agenda actions, mostly validated by the team, so that /attuazione/ shows movement.
Written through the services, by the demo office users (the team for offices without one). Idempotent: nothing
is done once a cycle exists. Then two years of measured values for the indicators of the objectives tree, moving
from the baseline towards the target (once: nothing once a value exists)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from implementation.models import IndicatorValue, Progress, ReportingCycle
from implementation.services import (
    cycle_create,
    indicator_value_record,
    report_return,
    report_submit,
    report_validate,
)
from implementation.subjects import office_of, reportable_actions, reportable_projects
from phases.models import Indicator
from psm_portal.accounts.models import User

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


def seed(stdout) -> None:
    team = User.objects.filter(email="team@demo.psm.local").first()
    if team is None:
        return
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
