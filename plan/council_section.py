"""What the council's act gives the final plan document: the approving deliberation, its votes, the version it
approved, the projects it froze and the amendments of its examination with their outcomes.

The provider returns the ``council`` shape documented in ``plan.sections`` with a constant number of queries
(the deliberation, then its amendments with their projects); the fingerprint hashes every row it reads
(``psm_portal.lib.plan_data``). Labels are frozen in Italian, the language of the document.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from plan.models import Amendment, AmendmentTarget, Deliberation, DraftSection, PlanDocument
from psm_portal.lib.plan_data import decimal_text, digest, table_rows, unavailable


def approving_deliberation() -> Deliberation | None:
    """The act in force: the latest approving deliberation that no later act corrects (one query)."""
    return Deliberation.objects.approving().for_listing().select_related("agenda").first()


def _subject(amendment: Amendment) -> str:
    """What the amendment changes, in words: the section, the project or the agenda action it is about."""
    if amendment.target == AmendmentTarget.SECTION:
        return str(DraftSection(amendment.section).label) if amendment.section in DraftSection.values else ""
    if amendment.project_id:
        project = amendment.project
        return f"{project.title} (CUP {project.cup})" if project.cup else project.title
    if amendment.action_id:
        return str(amendment.action)  # "A2027.3 Title"
    return ""


def _amendment(amendment: Amendment) -> dict:
    return {
        "number": amendment.number,
        "target": str(amendment.get_target_display()),
        "subject": _subject(amendment),
        "text": amendment.text,
        "amount": decimal_text(amendment.amount),
        "year": amendment.year,
        "state": amendment.state,
        "outcome": str(amendment.get_state_display()),
        "present": amendment.present,
        "votes_for": amendment.votes_for,
        "votes_against": amendment.votes_against,
        "abstained": amendment.abstained,
    }


def council_provider(kind: str) -> dict:
    with translation.override("it"):
        deliberation = approving_deliberation()
        if deliberation is None:
            return unavailable(
                _(
                    "Il Consiglio metropolitano non ha ancora approvato il piano: questa versione del piano finale "
                    "è quella da sottoporre al suo esame."
                )
            )
        amendments = (
            Amendment.objects.filter(examination_id=deliberation.examination_id)
            .select_related("project", "action__agenda")
            .order_by("number")
        )
        document = deliberation.document
        return {
            "label": str(deliberation.label),
            "number": deliberation.number,
            "year": deliberation.year,
            "date": deliberation.date.isoformat(),
            "session": deliberation.session,
            "present": deliberation.present,
            "votes_for": deliberation.votes_for,
            "votes_against": deliberation.votes_against,
            "abstained": deliberation.abstained,
            "outcome": str(deliberation.get_outcome_display()),
            "corrects": str(deliberation.corrects.label) if deliberation.corrects_id else "",
            "agenda": str(deliberation.agenda) if deliberation.agenda_id else "",
            "document": {
                "kind": str(document.get_kind_display()),
                "version": document.version,
                "sha256": deliberation.document_sha256,
            },
            "projects": [
                {
                    "cup": project.get("cup") or "",
                    "title": project.get("title") or "",
                    "amount": project.get("amount") or "",
                    "year": project.get("year"),
                }
                for project in deliberation.projects or []
            ],
            "amendments": [_amendment(amendment) for amendment in amendments],
        }


def council_fingerprint(kind: str) -> str:
    return digest(
        (
            table_rows(Deliberation.objects.all()),
            table_rows(Amendment.objects.all()),
            list(
                PlanDocument.objects.filter(deliberations__isnull=False)
                .order_by("pk")
                .values_list("pk", "kind", "version")
                .distinct()
            ),
            list(
                Amendment.objects.filter(project__isnull=False)
                .order_by("project_id")
                .values_list("project_id", "project__title", "project__cup")
                .distinct()
            ),
            list(
                Amendment.objects.filter(action__isnull=False)
                .order_by("action_id")
                .values_list("action_id", "action__position", "action__title", "action__agenda__year")
                .distinct()
            ),
            list(
                Deliberation.objects.filter(agenda__isnull=False)
                .order_by("pk")
                .values_list("pk", "agenda__year", "agenda__version")
            ),
        )
    )
