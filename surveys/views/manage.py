"""The reserved area of the questionnaire: the team's builder and its export of the responses, and promotion
(link, QR code, poster) for the team and the offices."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities.models import Municipality
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required, team_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text
from psm_portal.lib.params import as_int
from surveys import exports
from surveys.answers import Structure
from surveys.forms import QuestionForm, QuestionnaireForm, SectionEditForm, SectionForm
from surveys.models import Question, Questionnaire, Section
from surveys.results import live_counts
from surveys.services import (
    item_move,
    question_delete,
    question_save,
    questionnaire_duplicate,
    questionnaire_publish,
    questionnaire_publish_check,
    results_publish,
    section_delete,
    section_save,
)

staff_required = role_required(Role.TEAM, Role.OFFICE)


@staff_required
@require_GET
def manage(request):
    questionnaires = Questionnaire.objects.with_response_count().order_by("-created_at")
    page = Paginator(questionnaires, 20).get_page(request.GET.get("pagina"))
    return render(
        request,
        "surveys/manage/list.html",
        {"page": page, "is_team": request.user.is_team},
    )


@team_required
@require_http_methods(["GET", "POST"])
def create(request):
    form = QuestionnaireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        questionnaire = form.save()
        Section.objects.create(questionnaire=questionnaire, title=_("Sezione 1"), order=1)
        messages.success(request, _("Questionario creato: aggiungi le domande."))
        return redirect("surveys:edit", questionnaire.pk)
    return render(request, "surveys/manage/form.html", {"form": form, "title": _("Nuovo questionario")})


@team_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    form = QuestionnaireForm(request.POST if request.method == "POST" else None, instance=questionnaire)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Dati del questionario salvati."))
            return redirect("surveys:edit", pk)
    structure = Structure.load(questionnaire)
    response_count = questionnaire.responses.count()
    return render(
        request,
        "surveys/manage/edit.html",
        {
            "questionnaire": questionnaire,
            "form": form,
            "structure": structure,
            "locked": response_count > 0,
            "response_count": response_count,
        },
    )


@team_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, section_pk: int | None = None):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    instance = get_object_or_404(Section, pk=section_pk, questionnaire=questionnaire) if section_pk else None
    form = SectionEditForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        section = form.save(commit=False)
        section.questionnaire = questionnaire
        try:
            section_save(section=section, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sezione salvata."))
            return redirect("surveys:edit", pk)
    return render(
        request,
        "surveys/manage/form.html",
        {"form": form, "questionnaire": questionnaire, "title": _("Sezione") if instance else _("Nuova sezione")},
    )


@team_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int, question_pk: int | None = None):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    instance = get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire) if question_pk else None
    initial = {}
    if instance is None and (section := as_int(request.GET.get("sezione"))) is not None:
        initial["section"] = section
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        questionnaire=questionnaire,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        question = form.save()
        try:
            question_save(question=question, option_labels=form.option_labels, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Domanda salvata."))
            return redirect("surveys:edit", pk)
    return render(
        request,
        "surveys/manage/question_form.html",
        {"form": form, "questionnaire": questionnaire, "title": _("Domanda") if instance else _("Nuova domanda")},
    )


@team_required
@require_POST
def item_action(request, pk: int, what: str, item_pk: int, action: str):
    if what not in ("sezione", "domanda") or action not in ("su", "giu", "elimina"):
        raise Http404(_("Azione sconosciuta."))
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    model = Section if what == "sezione" else Question
    item = get_object_or_404(model, pk=item_pk, questionnaire=questionnaire)
    try:
        if action == "su":
            item_move(item=item, direction=-1, actor=request.user)
        elif action == "giu":
            item_move(item=item, direction=1, actor=request.user)
        elif model is Section:
            section_delete(section=item, actor=request.user)
        else:
            question_delete(question=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Modifica salvata."))
    return redirect("surveys:edit", pk)


@team_required
@require_GET
def preview(request, pk: int):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    structure = Structure.load(questionnaire)
    municipalities = list(Municipality.objects.only("istat_code", "name").order_by("name"))
    forms = [
        SectionForm(
            structure=structure,
            section=section,
            previous={},
            municipalities=municipalities,
            prefix=f"s{section.pk}",
            show_all=True,
        )
        for section in structure.sections
    ]
    return render(
        request, "surveys/manage/preview.html", {"questionnaire": questionnaire, "forms": forms, "preview": True}
    )


@team_required
@require_POST
def publish(request, pk: int):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    action = request.POST.get("azione")
    try:
        if action == "pubblica" and not confirmed(request):
            questionnaire_publish_check(questionnaire)  # a questionnaire that cannot be published is not proposed
            return confirmation_page(request, _publish_confirmation(questionnaire))
        if action == "pubblica":
            questionnaire_publish(questionnaire=questionnaire, actor=request.user)
            messages.success(request, _("Questionario pubblicato."))
        elif action in ("risultati", "nascondi"):
            results_publish(questionnaire=questionnaire, actor=request.user, value=action == "risultati")
            messages.success(request, _("Visibilità dei risultati aggiornata."))
        elif action == "duplica":
            copy = questionnaire_duplicate(questionnaire=questionnaire, actor=request.user)
            messages.success(request, _("Creata la versione %(n)d, in bozza.") % {"n": copy.version})
            return redirect("surveys:edit", copy.pk)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect("surveys:edit", pk)


def _publish_confirmation(questionnaire: Questionnaire) -> Confirmation:
    dates = {
        "title": questionnaire.title,
        "opens": date_format(timezone.localtime(questionnaire.opens_at), "SHORT_DATETIME_FORMAT"),
        "closes": date_format(timezone.localtime(questionnaire.closes_at), "SHORT_DATETIME_FORMAT"),
    }
    return Confirmation(
        title=_("Pubblicare il questionario «%(title)s»?") % dates,
        consequences=[
            _("Chiunque potrà rispondere dal %(opens)s al %(closes)s, all'indirizzo pubblico del questionario.")
            % dates,
            _(
                "La pubblicazione non si può ritirare; dalle prime risposte si potranno correggere solo i testi "
                "delle domande (per altri cambi si duplica il questionario in una nuova versione)."
            ),
        ],
        told=[_("I cittadini, dalla pagina /questionario/ e dalla home (nessuna e-mail).")],
        button=_("Pubblica il questionario"),
        cancel_url=reverse("surveys:edit", args=[questionnaire.pk]),
        carried={"azione": "pubblica"},
    )


@team_required
@require_GET
def export_xlsx(request, pk: int):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    content = exports.xlsx_bytes(Structure.load(questionnaire))
    reply = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    reply["Content-Disposition"] = f'attachment; filename="questionario-{questionnaire.slug}.xlsx"'
    return reply


# --- Promotion ----------------------------------------------------------------


def public_link(questionnaire: Questionnaire) -> str:
    return settings.SITE_URL + reverse("surveys:start", args=[questionnaire.slug])


@staff_required
@require_GET
def promote(request, pk: int):
    questionnaire = get_object_or_404(Questionnaire.objects.published(), pk=pk)
    return render(
        request,
        "surveys/manage/promote.html",
        {"questionnaire": questionnaire, "link": public_link(questionnaire), "counts": live_counts(questionnaire)},
    )


def _qr(questionnaire: Questionnaire):
    return segno.make(public_link(questionnaire), error="m")


@staff_required
@require_GET
def qr_code(request, pk: int, fmt: str):
    if fmt not in ("svg", "png"):
        raise Http404(_("Formato sconosciuto."))
    questionnaire = get_object_or_404(Questionnaire.objects.published(), pk=pk)
    buffer = io.BytesIO()
    if fmt == "svg":
        _qr(questionnaire).save(buffer, kind="svg", scale=8, border=2, title=questionnaire.title)
        content_type = "image/svg+xml"
    else:
        _qr(questionnaire).save(buffer, kind="png", scale=12, border=2)
        content_type = "image/png"
    reply = HttpResponse(buffer.getvalue(), content_type=content_type)
    reply["Content-Disposition"] = f'attachment; filename="questionario-{questionnaire.slug}.{fmt}"'
    return reply


@staff_required
@require_GET
def poster(request, pk: int):
    from weasyprint import HTML  # a second to import: loaded by the one view that prints

    questionnaire = get_object_or_404(Questionnaire.objects.published(), pk=pk)
    qr_svg = _qr(questionnaire).svg_inline(scale=10, border=1)
    html = render_to_string(
        "surveys/manage/poster.html",
        {"questionnaire": questionnaire, "link": public_link(questionnaire), "qr_svg": qr_svg},
    )
    pdf = HTML(string=html, base_url=settings.SITE_URL).write_pdf()
    reply = HttpResponse(pdf, content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="locandina-{questionnaire.slug}.pdf"'
    return reply
