"""The governance model of the implementation: its drafts (text, bodies, referents per office) and the reads of its
pages. Its review — opening with a deadline and the e-mail, the positions of offices and mayors, closing, adopting —
is the Vision's, in ``phases.services`` (``review_version_open``, ``position_submit``…), for versions of kind
``governance`` (``phases.reviews``, registered in ``ImplementationConfig.ready()``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.forms import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from implementation.models import GovernanceBody, GovernanceVersion, OfficeReferent
from phases.models import DocumentKind, VisionStatus
from phases.phases import Feature
from phases.reviews import ReviewKind, register
from phases.services import review_version_create, review_version_update
from projects.models import Agenda, AgendaAction
from psm_portal.accounts.models import Office, User
from psm_portal.audit.services import audit_record

GOVERNANCE_REVIEW = ReviewKind(
    key=DocumentKind.GOVERNANCE,
    feature=Feature.REVIEW_GOVERNANCE,
    audit_prefix="governance",
    version_url="implementation:governance_version",
    positions_url="implementation:governance_position",
    document_url="implementation:governance",
    opened_subject=gettext_lazy("Il modello di governance del PSM è aperto alle vostre posizioni fino al %(deadline)s"),
    opened_template="implementation/email/governance_opened.txt",
    reminder_subject=gettext_lazy("Promemoria: la posizione del vostro comune sul modello di governance del PSM"),
    reminder_template="implementation/email/governance_reminder.txt",
    none_open=gettext_lazy("Nessuna versione del modello di governance è aperta alla consultazione in questo momento."),
)


def register_review() -> None:
    register(GOVERNANCE_REVIEW)


# --- Writes -------------------------------------------------------------------------------------------------------


def governance_draft_create(*, actor: User) -> GovernanceVersion:
    """A new draft, starting from the latest version's text, bodies and referents (empty for the first)."""
    last = GovernanceVersion.objects.order_by("-number").first()
    with transaction.atomic():
        version = review_version_create(
            kind=DocumentKind.GOVERNANCE,
            actor=actor,
            title=last.title if last else _("Modello di governance dell'attuazione del PSM"),
            text=last.text if last else "",
        )
        if last is not None:
            GovernanceBody.objects.bulk_create(
                GovernanceBody(
                    version_id=version.pk,
                    order=body.order,
                    name=body.name,
                    members=body.members,
                    duties=body.duties,
                    review_frequency=body.review_frequency,
                )
                for body in last.governance_bodies.all()
            )
            OfficeReferent.objects.bulk_create(
                OfficeReferent(version_id=version.pk, office_id=r.office_id, referent=r.referent, duties=r.duties)
                for r in last.office_referents.all()
            )
    return GovernanceVersion.objects.get(pk=version.pk)


def governance_draft_save(
    *,
    version: GovernanceVersion,
    actor: User,
    title: str,
    text: str,
    bodies: BaseInlineFormSet,
    referents: BaseInlineFormSet,
) -> GovernanceVersion:
    """Save a draft's text (sanitised), bodies and referents in one transaction; only a draft changes."""
    if not version.is_draft:
        raise ValidationError(_("Solo una bozza si può modificare: crea una nuova versione."))
    with transaction.atomic():
        locked = GovernanceVersion.objects.select_for_update().get(pk=version.pk)
        if not locked.is_draft:
            raise ValidationError(_("Solo una bozza si può modificare: crea una nuova versione."))
        review_version_update(version=version, title=title, text=text)
        bodies.instance = version
        bodies.save()
        referents.instance = version
        referents.save()
        audit_record(
            actor=actor,
            action="governance.update",
            obj=version,
            after={
                "bodies": [b.name for b in version.governance_bodies.all()],
                "referents": [r.office_id for r in version.office_referents.all()],
            },
        )
    return version


# --- Reads --------------------------------------------------------------------------------------------------------


def with_contents(queryset):
    """Versions with their bodies and referents (offices included): two more queries, whatever their number."""
    return queryset.prefetch_related(
        Prefetch("governance_bodies", queryset=GovernanceBody.objects.order_by("order", "pk")),
        Prefetch("office_referents", queryset=OfficeReferent.objects.select_related("office").order_by("office__name")),
    )


def adopted() -> GovernanceVersion | None:
    """The model in force: the latest adopted version."""
    return with_contents(GovernanceVersion.objects.filter(status=VisionStatus.ADOPTED)).order_by("-number").first()


def responsibility_table(version: GovernanceVersion | None) -> dict:
    """Each action of the public agenda with its responsible office, the offices that contribute and the referent of
    the responsible office in ``version``. Four queries, whatever the number of actions and offices."""
    agenda = Agenda.objects.public()
    if agenda is None:
        return {"agenda": None, "rows": []}
    actions = list(
        AgendaAction.objects.filter(agenda=agenda)
        .select_related("responsible_office", "objective")
        .prefetch_related(Prefetch("contributing_offices", queryset=Office.objects.order_by("name")))
        .order_by("position", "pk")
    )
    referents = {}
    if version is not None:
        referents = {r.office_id: r for r in version.office_referents.all()}
    rows = [
        {
            "action": action,
            "responsible": action.responsible_office,
            "referent": referents.get(action.responsible_office_id),
            "contributing": list(action.contributing_offices.all()),
        }
        for action in actions
    ]
    return {"agenda": agenda, "rows": rows}
