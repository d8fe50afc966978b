"""E-mails of the council's act: mayors, offices, councillors and the council's secretary are told once when a
final version goes to the council and once when it is approved (a conditional UPDATE claims each notice)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from outcomes.notices import notice_send
from plan.models import Examination, PlanDocument
from psm_portal.accounts.models import Role, User

RECIPIENTS = (Role.MAYOR, Role.OFFICE, Role.COUNCIL, Role.SECRETARY)


def _send(examination_id: int, field: str, subject: str, template: str, context: dict) -> int:
    claimed = Examination.objects.filter(pk=examination_id, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )
    if not claimed:
        return 0
    recipients = User.objects.active().filter(role__in=RECIPIENTS).values_list("email", flat=True)
    body = render_to_string(template, context)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
    try:
        # One SMTP connection for all, one message per person (nobody sees the other addresses).
        return send_mass_mail(messages)
    except Exception:
        # Not all sent: release the claim so that the retried task sends them (some may get it twice, nobody misses it).
        Examination.objects.filter(pk=examination_id).update(**{field: None})
        raise


def examination_notify(*, examination_id: int) -> int:
    """Tell everybody that a final version is under the council's examination, with the amendments' window."""
    examination = Examination.objects.select_related("document", "agenda").filter(pk=examination_id).first()
    if examination is None:
        return 0
    with override("it"):
        context = {
            "examination": examination,
            "document": str(examination.document),
            "agenda": str(examination.agenda) if examination.agenda_id else "",
            "opens": date_format(timezone.localtime(examination.amendments_open_from), "SHORT_DATETIME_FORMAT"),
            "closes": date_format(timezone.localtime(examination.amendments_close_at), "SHORT_DATETIME_FORMAT"),
            "link": settings.SITE_URL + reverse("plan:council"),
            "public_link": settings.SITE_URL + reverse("plan:list"),
        }
        subject = _("Il piano finale è all'esame del Consiglio metropolitano")
        return _send(examination_id, "opened_notified_at", subject, "plan/email/examination_opened.txt", context)


def approval_notify(*, examination_id: int) -> int:
    """Tell everybody that the council approved the plan, with the deliberation and the approved version."""
    examination = Examination.objects.select_related("document").filter(pk=examination_id).first()
    deliberation = examination.deliberations.approving().select_related("agenda").first() if examination else None
    if deliberation is None:
        return 0
    with override("it"):
        context = {
            "deliberation": deliberation.label,
            "date": date_format(deliberation.date, "SHORT_DATE_FORMAT"),
            "document": str(examination.document),
            "sha256": deliberation.document_sha256,
            "agenda": str(deliberation.agenda) if deliberation.agenda_id else "",
            "link": settings.SITE_URL + reverse("plan:list"),
        }
        subject = _("Il Consiglio metropolitano ha approvato il piano (%(deliberation)s)") % context
        return _send(examination_id, "approved_notified_at", subject, "plan/email/plan_approved.txt", context)


def publication_notify(*, document_id: int) -> int:
    """Tell everybody concerned (mayors, offices, councillors, the secretary, stakeholders) that a version of the
    plan is published on /piano/; once per document (``outcomes.notices``)."""
    document = PlanDocument.objects.filter(pk=document_id, published_at__isnull=False).first()
    if document is None:
        return 0
    recipients = User.objects.active().filter(role__in=[*RECIPIENTS, Role.STAKEHOLDER]).values_list("email", flat=True)
    with override("it"):
        context = {
            "document": str(document),
            "date": date_format(timezone.localtime(document.published_at), "SHORT_DATE_FORMAT"),
            "sha256": document.sha256,
            "link": settings.SITE_URL + reverse("plan:list"),
        }
        subject = _("Pubblicato: %(document)s") % context
        body = render_to_string("plan/email/plan_published.txt", context)
    return notice_send(key=f"plan.published:{document.pk}", recipients=recipients, subject=subject, body=body)
