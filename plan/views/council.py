"""Reserved area: the Metropolitan Council's act on the final plan. Team, council and its secretary read the
dossier and the amendments; the team sends a final version to the council, councillors file and withdraw
amendments in the window, the secretary (or the team) records admissibility, votes and the deliberation."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phases.phases import Feature
from phases.predicates import gate, phase_required
from plan import dossier
from plan.forms import AdmissibilityForm, AmendmentForm, DeliberationForm, ExaminationForm, VotesForm
from plan.models import Amendment, AmendmentState, Deliberation, Examination
from plan.readers import COUNCIL_READERS
from plan.services.council import (
    Votes,
    Window,
    deliberation_preview,
    file_amendment,
    may_amend,
    may_record,
    open_examination,
    record_admissibility,
    record_amendment_vote,
    record_deliberation,
    withdraw_amendment,
)
from psm_portal.accounts.permissions import role_required, team_required
from psm_portal.lib.confirm import FIELD, Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text
from psm_portal.lib.money import format_euro
from psm_portal.lib.uploads import serve_private_file

# The signed PDF waits here between the form and its confirmation (the confirmation page cannot carry a file).
PENDING_PDF = "plan_deliberation_pdf"
TOLD = [_("i sindaci, gli uffici, i consiglieri e la segreteria del Consiglio, per e-mail")]


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _default_window() -> dict:
    """Amendments from the next hour for two weeks, as the team's form first proposes."""
    opens = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return {"opens": opens, "closes": opens + timedelta(days=14)}


@role_required(*COUNCIL_READERS)
@require_GET
def council_dossier(request):
    examination = Examination.objects.current()
    user = request.user
    can_open = user.is_team and gate(Feature.RECORD_COUNCIL_ACTS).open and not (examination and examination.is_open)
    context = {
        "examination": examination,
        "can_open": can_open,
        "open_form": ExaminationForm(initial=_default_window()) if can_open else None,
        "process": dossier.process_summary(),
        "can_record": may_record(user),
    }
    if examination is not None:
        context.update(
            projects=dossier.plan_projects(request.GET.get("pagina")),
            actions=dossier.agenda_actions(examination),
            counts=dossier.amendment_counts(examination),
            addenda=examination.amendments.addenda(),
            deliberation=examination.deliberations.for_listing().first(),
            window_open=examination.window_open(),
        )
    return render(request, "plan/council/dossier.html", context)


@team_required
@phase_required(Feature.RECORD_COUNCIL_ACTS)
@require_POST
def examination_open_view(request):
    form = ExaminationForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("plan:council")
    data = form.cleaned_data
    document, agenda = data["document"], data["agenda"]
    if not confirmed(request):
        consequences = [
            _("Il %(document)s (SHA-256 %(sha)s) va all'esame del Consiglio metropolitano.")
            % {"document": document, "sha": document.sha256},
            _("I consiglieri possono presentare emendamenti dal %(opens)s al %(closes)s.")
            % {"opens": _when(data["opens"]), "closes": _when(data["closes"])},
        ]
        if agenda is not None:
            consequences.append(_("Con il piano va al Consiglio l'%(agenda)s (se è in bozza, è sottoposta ora).")
                                % {"agenda": agenda})  # fmt: skip
        return confirmation_page(
            request,
            Confirmation(
                title=_("Trasmettere il piano finale al Consiglio metropolitano?"),
                consequences=consequences,
                button=_("Trasmetti al Consiglio"),
                cancel_url=reverse("plan:council"),
                told=TOLD,
                carried={name: request.POST.get(name, "") for name in ("document", "agenda", "opens", "closes")},
            ),
        )
    try:
        open_examination(request.user, document, agenda, Window(data["opens"], data["closes"]))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Il piano è all'esame del Consiglio metropolitano."))
    return redirect("plan:council")


@role_required(*COUNCIL_READERS)
@require_GET
def amendment_list(request):
    examination = Examination.objects.current()
    amendments = list(examination.amendments.for_listing()) if examination else []
    return render(
        request,
        "plan/council/amendments.html",
        {
            "examination": examination,
            "amendments": amendments,
            "can_file": examination is not None and may_amend(request.user) and examination.window_open(),
        },
    )


@phase_required(Feature.APPROVE_PLAN)
@require_http_methods(["GET", "POST"])
def amendment_file(request):
    examination = Examination.objects.open().select_related("document").first()
    if examination is None or not examination.window_open():
        return render(request, "plan/council/amendment_form.html", {"examination": examination, "closed": True})
    form = AmendmentForm(request.POST or None, examination=examination)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = file_amendment(request.user, examination, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(amendment)s presentato.") % {"amendment": amendment.label})
            return redirect("plan:amendment", pk=amendment.pk)
    return render(request, "plan/council/amendment_form.html", {"examination": examination, "form": form})


@role_required(*COUNCIL_READERS)
@require_GET
def amendment_detail(request, pk: int):
    amendment = get_object_or_404(Amendment.objects.for_listing().select_related("examination"), pk=pk)
    user = request.user
    recorder = may_record(user) and amendment.examination.is_open and gate(Feature.RECORD_COUNCIL_ACTS).open
    return render(
        request,
        "plan/council/amendment_detail.html",
        {
            "amendment": amendment,
            "admissibility_form": AdmissibilityForm() if recorder and amendment.state == AmendmentState.PRESENTED
            else None,
            "votes_form": VotesForm() if recorder and amendment.state == AmendmentState.ADMISSIBLE else None,
            "can_withdraw": amendment.author_id == user.pk and amendment.is_pending
            and amendment.examination.window_open() and gate(Feature.APPROVE_PLAN).open,
        },
    )  # fmt: skip


@phase_required(Feature.APPROVE_PLAN)
@require_POST
def amendment_withdraw(request, pk: int):
    # Only the author's own amendments: another's id is not found.
    amendment = get_object_or_404(Amendment, pk=pk, author=request.user)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Ritirare l'%(amendment)s?") % {"amendment": amendment.label.lower()},
                consequences=[_("L'emendamento resta nell'elenco come ritirato e non si vota.")],
                button=_("Ritira l'emendamento"),
                cancel_url=reverse("plan:amendment", args=[amendment.pk]),
            ),
        )
    try:
        withdraw_amendment(request.user, amendment)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("%(amendment)s ritirato.") % {"amendment": amendment.label})
    return redirect("plan:amendment", pk=amendment.pk)


@phase_required(Feature.RECORD_COUNCIL_ACTS)
@require_POST
def amendment_admissibility(request, pk: int):
    amendment = get_object_or_404(Amendment, pk=pk)
    form = AdmissibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("plan:amendment", pk=amendment.pk)
    try:
        record_admissibility(request.user, amendment, form.cleaned_data["admissible"], form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Ammissibilità registrata."))
    return redirect("plan:amendment", pk=amendment.pk)


@phase_required(Feature.RECORD_COUNCIL_ACTS)
@require_POST
def amendment_vote(request, pk: int):
    amendment = get_object_or_404(Amendment.objects.select_related("project", "action__agenda"), pk=pk)
    form = VotesForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("plan:amendment", pk=amendment.pk)
    data = form.cleaned_data
    votes = Votes(data["present"], data["votes_for"], data["votes_against"], data["abstained"])
    if not confirmed(request):
        approved = data["outcome"] == AmendmentState.APPROVED
        consequences = [
            _("%(amendment)s: %(outcome)s con %(for)s favorevoli, %(against)s contrari, %(abstained)s astenuti su "
              "%(present)s presenti.")
            % {"amendment": amendment.label, "outcome": _("approvato") if approved else _("respinto"),
               "for": votes.votes_for, "against": votes.votes_against, "abstained": votes.abstained,
               "present": votes.present},
        ]  # fmt: skip
        if approved:
            consequences.append(_("I dati del piano cambiano subito come dice l'emendamento: %(change)s.")
                                % {"change": _change(amendment)})  # fmt: skip
        return confirmation_page(
            request,
            Confirmation(
                title=_("Registrare il voto sull'%(amendment)s?") % {"amendment": amendment.label.lower()},
                consequences=consequences,
                button=_("Registra il voto"),
                cancel_url=reverse("plan:amendment", args=[amendment.pk]),
                carried={name: request.POST.get(name, "") for name in VotesForm.base_fields},
            ),
        )
    try:
        record_amendment_vote(request.user, amendment, votes, data["outcome"])
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Voto registrato."))
    return redirect("plan:amendment", pk=amendment.pk)


def _change(amendment: Amendment) -> str:
    """What an approved amendment will change, in one phrase."""
    target = amendment.get_target_display()
    if amendment.project_id:
        target = f"{target} «{amendment.project.title}»"
    if amendment.action_id:
        target = f"{target} {amendment.action.code}"
    if amendment.amount is not None:
        target = f"{target}, {format_euro(amendment.amount)}"
    if amendment.year:
        target = f"{target}, {amendment.year}"
    return target


@phase_required(Feature.RECORD_COUNCIL_ACTS)
@require_http_methods(["GET", "POST"])
def deliberation_record(request):
    examination = Examination.objects.open().select_related("document", "agenda").first()
    if examination is None:
        return render(request, "plan/council/deliberation.html", {"examination": None})
    preview = deliberation_preview(examination)
    form = DeliberationForm(request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        if confirmed(request):
            return _record(request, examination, form)
        pdf = form.cleaned_data["pdf"]
        if pdf is None:
            form.add_error("pdf", _("Allega la delibera firmata in PDF."))
        elif pdf.document_kind.extension != ".pdf":
            form.add_error("pdf", _("La delibera firmata deve essere un PDF."))
        elif preview["blockers"]:
            form.add_error(None, preview["blockers"])
        else:
            _keep_pending(request, pdf)
            return render(
                request,
                "plan/council/deliberation_confirm.html",
                {
                    "confirmation": _deliberation_confirmation(form, preview, request),
                    "action": request.path,
                    "field": FIELD,
                    "preview": preview,
                },
            )
    return render(request, "plan/council/deliberation.html", {"examination": examination, "form": form,
                                                              "preview": preview})  # fmt: skip


def _keep_pending(request, pdf) -> None:
    pdf.seek(0)
    content = pdf.read()
    previous = request.session.get(PENDING_PDF)
    if previous:
        default_storage.delete(previous["name"])
    name = default_storage.save(f"delibere/in-attesa/{uuid.uuid4().hex}.pdf", ContentFile(content))
    request.session[PENDING_PDF] = {"name": name, "sha256": hashlib.sha256(content).hexdigest()}


def _deliberation_confirmation(form, preview: dict, request) -> Confirmation:
    data = form.cleaned_data
    approving = data["outcome"] == "approved"
    label = _("Delibera n. %(number)s/%(year)s") % {"number": data["number"], "year": data["year"]}
    consequences = [
        _("%(label)s del %(date)s, %(session)s: %(outcome)s con %(for)s favorevoli, %(against)s contrari, "
          "%(abstained)s astenuti su %(present)s presenti.")
        % {"label": label, "date": date_format(data["date"], "SHORT_DATE_FORMAT"), "session": data["session"],
           "outcome": _("piano approvato") if approving else _("piano respinto"), "for": data["votes_for"],
           "against": data["votes_against"], "abstained": data["abstained"], "present": data["present"]},
        _("La delibera registrata non si potrà più modificare: una correzione sarà una nuova delibera collegata."),
    ]  # fmt: skip
    if approving:
        consequences.append(
            _("Restano fissati per sempre: il %(document)s con SHA-256 %(sha)s, pubblicato su /piano/; i %(n)s "
              "progetti elencati qui sotto (%(total)s)%(agenda)s.")
            % {"document": preview["document"], "sha": preview["sha256"], "n": len(preview["projects"]),
               "total": format_euro(preview["total"]),
               "agenda": (_("; l'%(agenda)s con le sue %(actions)s azioni, approvata")
                          % {"agenda": preview["agenda"], "actions": preview["actions"]}) if preview["agenda"] else ""}
        )  # fmt: skip
    return Confirmation(
        title=_("Registrare la %(label)s?") % {"label": label},
        consequences=consequences,
        button=_("Registra la delibera"),
        cancel_url=reverse("plan:deliberation"),
        told=TOLD if approving else [],
        carried={name: request.POST.get(name, "") for name in DeliberationForm.base_fields if name != "pdf"},
    )


def _record(request, examination: Examination, form):
    pending = request.session.get(PENDING_PDF)
    if not pending or not default_storage.exists(pending["name"]):
        messages.error(request, _("Allega di nuovo la delibera firmata: il file caricato non è più disponibile."))
        return redirect("plan:deliberation")
    with default_storage.open(pending["name"], "rb") as stored:
        pdf = ContentFile(stored.read(), name="delibera.pdf")
    try:
        deliberation = record_deliberation(request.user, examination, form.cleaned_data, pdf)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return redirect("plan:deliberation")
    default_storage.delete(pending["name"])
    del request.session[PENDING_PDF]
    messages.success(request, _("%(label)s registrata.") % {"label": deliberation.label})
    return redirect("plan:council")


@role_required(*COUNCIL_READERS)
@require_GET
def deliberation_pdf(request, pk: int):
    deliberation = Deliberation.objects.filter(pk=pk).first()
    if deliberation is None:
        raise Http404(_("Delibera non trovata."))
    return serve_private_file(deliberation.pdf, f"{deliberation.label.replace('/', '-').replace(' ', '-')}.pdf")
