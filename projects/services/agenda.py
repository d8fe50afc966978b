"""Writes of the annual agenda of actions: offices draft the actions of their own projects, the PSM team
creates a year's version, orders and submits it, the council's deliberation approves it (``plan``), an
approved amendment changes an action of the submitted version. Every write is audited; an approved version is
never changed (the database refuses it too on PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.models import Objective, ObjectiveLevel
from projects.models import Agenda, AgendaAction, FundingSource, Project, plan_years
from psm_portal.accounts.models import Office
from psm_portal.audit.services import audit_record

# The fields of an action a form, the copy into a new version and an amendment may set.
PLAIN_FIELDS = [
    "title",
    "description",
    "objective",
    "responsible_office",
    "start_quarter",
    "due_quarter",
    "budget",
    "funding_source",
    "expected_output",
    "indicator",
    "status",
]
LINK_FIELDS = ["projects", "contributing_offices"]


def action_snapshot(action: AgendaAction, *, projects=None, offices=None) -> dict:
    """An action's values as the audit log keeps them."""
    snapshot = {
        "title": action.title,
        "description": action.description,
        "objective": action.objective_id,
        "responsible_office": action.responsible_office_id,
        "start_quarter": action.start_quarter,
        "due_quarter": action.due_quarter,
        "budget": f"{Decimal(action.budget):.2f}" if action.budget is not None else None,
        "funding_source": action.funding_source,
        "expected_output": action.expected_output,
        "indicator": action.indicator,
        "status": action.status,
        "position": action.position,
    }
    if projects is None:
        projects = list(action.projects.values_list("pk", flat=True)) if action.pk else []
    if offices is None:
        offices = list(action.contributing_offices.values_list("pk", flat=True)) if action.pk else []
    snapshot["projects"] = sorted(_pk(item) for item in projects)
    snapshot["contributing_offices"] = sorted(_pk(item) for item in offices)
    return snapshot


def _pk(item) -> int:
    if hasattr(item, "pk"):
        return item.pk
    try:
        return int(item)
    except (TypeError, ValueError):
        raise ValidationError(_("Identificativo non valido: %(value)s.") % {"value": str(item)[:30]}) from None


def _require_staff(user) -> None:
    if not (user.is_authenticated and (user.is_team or user.is_office_staff)):
        raise ValidationError(_("Solo gli uffici della Città Metropolitana e il team PSM preparano l'agenda."))


def _require_team(user) -> None:
    if not (user.is_authenticated and user.is_team):
        raise ValidationError(_("Solo il team PSM può farlo."))


def _require_draft(agenda: Agenda) -> None:
    if agenda.is_frozen:
        raise ValidationError(
            _("L'%(agenda)s è approvata (%(act)s): non si può più modificare.")
            % {"agenda": str(agenda), "act": agenda.approved_by_act}
        )
    if not agenda.is_draft:
        raise ValidationError(
            _("L'%(agenda)s è «%(status)s»: si modifica solo una bozza. Il team PSM può prepararne una nuova versione.")
            % {"agenda": str(agenda), "status": agenda.get_status_display()}
        )


def _lock(agenda: Agenda) -> Agenda:
    return Agenda.objects.select_for_update().get(pk=agenda.pk)


def _projects(items) -> list[Project]:
    pks = sorted({_pk(item) for item in items or []})
    found = list(Project.objects.filter(pk__in=pks).only("pk", "office_id", "publication"))
    if len(found) != len(pks):
        raise ValidationError({"projects": _("Uno dei progetti indicati non esiste.")})
    return found


def _offices(items) -> list[Office]:
    pks = sorted({_pk(item) for item in items or []})
    found = list(Office.objects.filter(pk__in=pks))
    if len(found) != len(pks):
        raise ValidationError({"contributing_offices": _("Uno degli uffici indicati non esiste.")})
    return found


def _office(value) -> Office | None:
    if value is None or isinstance(value, Office):
        return value
    office = Office.objects.filter(pk=value).first()
    if office is None:
        raise ValidationError({"responsible_office": _("L'ufficio indicato non esiste.")})
    return office


def _objective(value) -> Objective | None:
    if value in (None, ""):
        return None
    objective = value if isinstance(value, Objective) else Objective.objects.filter(pk=value).first()
    if objective is None or objective.level != ObjectiveLevel.SPECIFIC:
        raise ValidationError({"objective": _("Scegli un obiettivo specifico del piano (per esempio A1.2).")})
    return objective


def _budget(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        raise ValidationError({"budget": _("Il budget non è un importo.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({"budget": _("Il budget non può essere negativo.")})
    return amount


def _apply(action: AgendaAction, data: dict) -> tuple[list[Project] | None, list[Office] | None]:
    """Copy ``data`` onto ``action`` (unsaved) and resolve its links; keys absent from ``data`` stay as they are."""
    for name in PLAIN_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "objective":
            value = _objective(value)
        elif name == "responsible_office":
            value = _office(value)
        elif name == "budget":
            value = _budget(value)
        elif name in ("title", "description", "expected_output", "indicator", "funding_source"):
            value = (value or "").strip()
        setattr(action, name, value)
    if action.funding_source and action.funding_source not in FundingSource.values:
        raise ValidationError({"funding_source": _("Fonte di finanziamento sconosciuta.")})
    projects = _projects(data["projects"]) if "projects" in data else None
    offices = _offices(data["contributing_offices"]) if "contributing_offices" in data else None
    return projects, offices


def _check(action: AgendaAction, projects: list[Project] | None) -> None:
    errors = {}
    if action.responsible_office_id is None:
        errors["responsible_office"] = _("Indica l'ufficio responsabile dell'azione.")
    if projects is not None and not projects:
        errors["projects"] = _("Collega l'azione ad almeno un progetto.")
    if projects and any(not project.is_published for project in projects):
        errors["projects"] = _("Collega solo progetti pubblicati nel catalogo.")
    quarters = (action.start_quarter, action.due_quarter)
    if any(quarter not in (1, 2, 3, 4) for quarter in quarters):
        errors["start_quarter"] = _("I trimestri vanno da 1 a 4, nell'anno dell'agenda.")
    elif action.due_quarter < action.start_quarter:
        errors["due_quarter"] = _("Il trimestre di conclusione viene prima di quello di avvio.")
    if errors:
        raise ValidationError(errors)
    action.full_clean(exclude=["agenda", "projects", "contributing_offices"])


def _save_links(action: AgendaAction, projects, offices) -> None:
    if projects is not None:
        action.projects.set(projects)
    if offices is not None:
        action.contributing_offices.set(offices)


def save_action(user, agenda: Agenda, data: dict, action: AgendaAction | None = None) -> AgendaAction:
    """Create (``action=None``) or edit an action of a draft agenda. Office staff act only for their own office
    and link only their own office's projects; the team may do anything on a draft."""
    _require_staff(user)
    with transaction.atomic():
        agenda = _lock(agenda)
        _require_draft(agenda)
        if action is not None:
            action = AgendaAction.objects.select_for_update().get(pk=action.pk)
            if action.agenda_id != agenda.pk:
                raise ValidationError(_("L'azione non appartiene a questa agenda."))
            if not user.is_team and action.responsible_office_id != user.office_id:
                raise ValidationError(_("Puoi modificare solo le azioni del tuo ufficio."))
            before = action_snapshot(action)
        else:
            action = AgendaAction(agenda=agenda)
            before = None
        data = dict(data)
        if not user.is_team:
            office = data.get("responsible_office", user.office_id)
            if _pk(office) != user.office_id:
                raise ValidationError(_("Puoi preparare solo le azioni del tuo ufficio."))
            data["responsible_office"] = user.office
        projects, offices = _apply(action, data)
        if before is None and projects is None:
            projects = []
        if not user.is_team and projects is not None and any(p.office_id != user.office_id for p in projects):
            raise ValidationError({"projects": _("Puoi collegare solo i progetti del tuo ufficio.")})
        _check(action, projects)
        if action.pk is None:
            action.position = (agenda.actions.aggregate(last=Max("position"))["last"] or 0) + 1
        action.save()
        _save_links(action, projects, offices)
        audit_record(
            actor=user,
            action="agenda.action_create" if before is None else "agenda.action_update",
            obj=action,
            before=before,
            after=action_snapshot(action),
        )
    return action


def delete_action(user, action: AgendaAction) -> None:
    """Remove an action from a draft agenda (office staff: only their own office's); the others close up."""
    _require_staff(user)
    with transaction.atomic():
        agenda = _lock(action.agenda)
        _require_draft(agenda)
        action = AgendaAction.objects.select_for_update().get(pk=action.pk)
        if not user.is_team and action.responsible_office_id != user.office_id:
            raise ValidationError(_("Puoi eliminare solo le azioni del tuo ufficio."))
        audit_record(actor=user, action="agenda.action_delete", obj=action, before=action_snapshot(action))
        action.delete()
        _renumber(agenda, list(agenda.actions.in_order().values_list("pk", flat=True)))


def _renumber(agenda: Agenda, ids: list[int]) -> None:
    actions = {action.pk: action for action in agenda.actions.all()}
    changed = []
    for position, pk in enumerate(ids, start=1):
        if actions[pk].position != position:
            actions[pk].position = position
            changed.append(actions[pk])
    AgendaAction.objects.bulk_update(changed, ["position"])


def reorder(user, agenda: Agenda, ids: list[int]) -> Agenda:
    """Put the draft's actions in the order of ``ids``, which must name each of them once (team only)."""
    _require_team(user)
    with transaction.atomic():
        agenda = _lock(agenda)
        _require_draft(agenda)
        current = list(agenda.actions.in_order().values_list("pk", flat=True))
        try:
            ids = [int(pk) for pk in ids]
        except (TypeError, ValueError):
            raise ValidationError(_("L'ordine indicato non corrisponde alle azioni dell'agenda.")) from None
        if len(ids) != len(current) or set(ids) != set(current):
            raise ValidationError(_("L'ordine indicato non corrisponde alle azioni dell'agenda."))
        if ids != current:
            _renumber(agenda, ids)
            audit_record(
                actor=user, action="agenda.reorder", obj=agenda, before={"order": current}, after={"order": ids}
            )
    return agenda


def new_agenda(user, year: int) -> Agenda:
    """A new draft version of ``year``'s agenda (team only), with a copy of the latest version's actions."""
    _require_team(user)
    years = plan_years()
    if years and year not in years:
        raise ValidationError(
            _("Il piano copre gli anni dal %(first)s al %(last)s.") % {"first": years[0], "last": years[-1]}
        )
    with transaction.atomic():
        versions = Agenda.objects.select_for_update().for_year(year)
        if versions.drafts().exists():
            raise ValidationError(_("L'agenda %(year)s ha già una bozza: modifica quella.") % {"year": year})
        latest = versions.order_by("-version").first()
        try:
            with transaction.atomic():
                agenda = Agenda.objects.create(
                    year=year, version=(latest.version + 1) if latest else 1, created_by=user
                )
        except IntegrityError:
            # Another request created a version of the year at the same moment.
            raise ValidationError(
                _("Un'altra versione dell'agenda %(year)s è stata appena creata: ricarica la pagina.") % {"year": year}
            ) from None
        copied = _copy_actions(latest, agenda) if latest else 0
        audit_record(
            actor=user,
            action="agenda.create",
            obj=agenda,
            after={**agenda.snapshot(), "copied_from": latest.version if latest else None, "actions": copied},
        )
    return agenda


def _copy_actions(source: Agenda, target: Agenda) -> int:
    actions = list(source.actions.in_order().prefetch_related("projects", "contributing_offices"))
    copies = AgendaAction.objects.bulk_create(
        AgendaAction(agenda=target, position=action.position, **{name: getattr(action, name) for name in PLAIN_FIELDS})
        for action in actions
    )
    project_links, office_links = [], []
    for action, copy in zip(actions, copies, strict=True):
        project_links += [
            AgendaAction.projects.through(agendaaction_id=copy.pk, project_id=p.pk) for p in action.projects.all()
        ]
        office_links += [
            AgendaAction.contributing_offices.through(agendaaction_id=copy.pk, office_id=o.pk)
            for o in action.contributing_offices.all()
        ]
    AgendaAction.projects.through.objects.bulk_create(project_links)
    AgendaAction.contributing_offices.through.objects.bulk_create(office_links)
    return len(copies)


def submit_agenda(user, agenda: Agenda) -> Agenda:
    """Send the draft to the Metropolitan Council (team only); a version of the year submitted before is
    superseded by it."""
    _require_team(user)
    with transaction.atomic():
        agenda = _lock(agenda)
        _require_draft(agenda)
        if not agenda.actions.exists():
            raise ValidationError(_("L'agenda non ha azioni: aggiungine almeno una prima di sottoporla al Consiglio."))
        earlier = list(Agenda.objects.select_for_update().for_year(agenda.year).submitted())
        for version in earlier:
            version.supersede()
            version.save(update_fields=["status"])
            audit_record(actor=user, action="agenda.supersede", obj=version, after=version.snapshot())
        before = agenda.snapshot()
        agenda.submit()
        agenda.save(update_fields=["status", "submitted_at"])
        audit_record(actor=user, action="agenda.submit", obj=agenda, before=before, after=agenda.snapshot())
    return agenda


def approve_agenda(agenda: Agenda, *, act: str) -> Agenda:
    """The council's deliberation ``act`` ("Delibera n. 12/2027") approves the submitted version, which is frozen
    from now on; the version of the year approved before is superseded. Called inside the deliberation's
    transaction by ``plan``."""
    act = (act or "").strip()
    if not act:
        raise ValidationError(_("Indica l'atto che approva l'agenda (per esempio «Delibera n. 12/2027»)."))
    with transaction.atomic():
        agenda = _lock(agenda)
        if not agenda.is_submitted:
            raise ValidationError(
                _("Si approva solo un'agenda sottoposta al Consiglio: l'%(agenda)s è «%(status)s».")
                % {"agenda": str(agenda), "status": agenda.get_status_display()}
            )
        for version in Agenda.objects.select_for_update().for_year(agenda.year).approved():
            version.supersede()
            version.save(update_fields=["status"])
            audit_record(actor=None, action="agenda.supersede", obj=version, after=version.snapshot())
        before = agenda.snapshot()
        agenda.approve(act, timezone.now())
        agenda.save(update_fields=["status", "approved_at", "approved_by_act"])
        audit_record(actor=None, action="agenda.approve", obj=agenda, before=before, after=agenda.snapshot())
    return agenda


def amend_action(action: AgendaAction, *, changes: dict, reason: str, actor=None) -> AgendaAction:
    """Apply an approved amendment (``reason``, e.g. "Emendamento n. 3") to an action of the version under the
    council's examination; the audit log keeps the reason."""
    unknown = set(changes) - set(PLAIN_FIELDS) - set(LINK_FIELDS)
    if unknown:
        raise ValidationError(_("Campi dell'azione sconosciuti: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indica il motivo della modifica (per esempio «Emendamento n. 3»)."))
    with transaction.atomic():
        agenda = _lock(action.agenda)
        if not agenda.is_submitted:
            raise ValidationError(
                _("Un emendamento modifica solo un'agenda sottoposta al Consiglio: l'%(agenda)s è «%(status)s».")
                % {"agenda": str(agenda), "status": agenda.get_status_display()}
            )
        action = AgendaAction.objects.select_for_update().get(pk=action.pk)
        before = action_snapshot(action)
        projects, offices = _apply(action, changes)
        _check(action, projects)
        action.save()
        _save_links(action, projects, offices)
        audit_record(
            actor=actor,
            action="agenda.action_amend",
            obj=action,
            before=before,
            after={**action_snapshot(action), "reason": reason},
        )
    return action
