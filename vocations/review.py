"""The review of the development scenarios: a third kind of document reviewed through the Vision's versions and
positions (``phases.services``), registered in ``phases.reviews`` from ``VocationsConfig.ready()``. The version's text
is the team's framing of the scenarios; mayors and offices give one position on it (stance, comment when required);
opening, closing, coverage and reminders are the shared machinery. The reference scenario stays the team's own
audited act (``vocations.services.scenario_choose_reference``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phases.models import DocumentKind, Position, Stance, VisionStatus
from phases.phases import Feature
from phases.reviews import ReviewKind, register
from phases.services import review_version_create, review_version_update
from psm_portal.accounts.models import User
from vocations.models import ScenarioReview

SCENARIOS_REVIEW = ReviewKind(
    key=DocumentKind.SCENARIOS,
    feature=Feature.REVIEW_SCENARIOS,
    audit_prefix="scenarios",
    version_url="vocations:scenario_review_version",
    positions_url="vocations:scenario_position",
    document_url="vocations:scenarios",
    opened_subject=gettext_lazy(
        "Gli scenari di sviluppo del PSM sono aperti alle vostre posizioni fino al %(deadline)s"
    ),
    opened_template="vocations/email/scenarios_opened.txt",
    reminder_subject=gettext_lazy("Promemoria: la posizione del vostro comune sugli scenari di sviluppo del PSM"),
    reminder_template="vocations/email/scenarios_reminder.txt",
    none_open=gettext_lazy("Nessuna versione degli scenari di sviluppo è aperta alla consultazione in questo momento."),
)


def register_review() -> None:
    register(SCENARIOS_REVIEW)


def draft_create(*, actor: User | None) -> ScenarioReview:
    """A new draft, starting from the latest version's title and text (a default title for the first)."""
    last = ScenarioReview.objects.order_by("-number").first()
    version = review_version_create(
        kind=DocumentKind.SCENARIOS,
        actor=actor,
        title=last.title if last else _("Gli scenari di sviluppo del territorio metropolitano"),
        text=last.text if last else "",
    )
    return ScenarioReview.objects.get(pk=version.pk)


def stance_totals(version) -> list[dict]:
    """How many positions of each stance a version received: public once its review is over. One query."""
    counts = dict(Position.objects.for_version(version).values_list("stance").annotate(n=Count("pk")))
    return [{"value": value, "label": label, "count": counts.get(value, 0)} for value, label in Stance.choices]


def public_state() -> dict:
    """What /scenari/ shows of the review: the open version with how many positions it has so far (no stances
    before it closes), and the latest closed version with its totals. Three queries at most, whatever the data."""
    published = list(
        ScenarioReview.objects.published()
        .filter(status__in=[VisionStatus.OPEN, VisionStatus.CLOSED, VisionStatus.ADOPTED])
        .annotate(positions_count=Count("positions"))
        .order_by("-number")
    )
    open_version = next((v for v in published if v.is_open), None)
    closed = next((v for v in published if v.status in (VisionStatus.CLOSED, VisionStatus.ADOPTED)), None)
    return {
        "open": open_version,
        "closed": closed,
        "closed_totals": stance_totals(closed) if closed is not None else None,
    }


def draft_save(*, version: ScenarioReview, title: str, text: str) -> ScenarioReview:
    """Save a draft's title and text (sanitised); only a draft changes."""
    if not version.is_draft:
        raise ValidationError(_("Solo una bozza si può modificare: crea una nuova versione."))
    return review_version_update(version=version, title=title, text=text)
