"""Public pages of the questionnaire: the list, answering section by section, results and open data."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from municipalities.models import Municipality
from outcomes.reads import outcomes_by_input
from outcomes.registry import INPUTS
from phases.phases import Feature
from phases.predicates import gate
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import is_team
from psm_portal.lib.clients import client_ip, client_network
from psm_portal.lib.params import as_int
from surveys import exports
from surveys.answering import STATE_FIELD, AnswerState
from surveys.answers import Structure, municipality_codes, published_questionnaire
from surveys.forms import SectionForm, StartForm
from surveys.models import OTHER_MUNICIPALITY, Kind, Questionnaire
from surveys.results import compute, participation_map, publishable
from surveys.services import AlreadySubmitted, rate_limit_allows, response_submit
from surveys.tasks import spread_soon


def _closed_message(questionnaire: Questionnaire) -> str:
    """Why answering is not possible now, or "" when it is."""
    status = gate(Feature.ANSWER_QUESTIONNAIRE)
    if not status.open:
        return status.message
    now = timezone.now()
    if questionnaire.is_open(now):
        return ""
    dates = {
        "start": date_format(timezone.localtime(questionnaire.opens_at), "SHORT_DATE_FORMAT"),
        "end": date_format(timezone.localtime(questionnaire.closes_at), "SHORT_DATE_FORMAT"),
    }
    if now < questionnaire.opens_at:
        return _("Il questionario si potrà compilare dal %(start)s al %(end)s.") % dates
    return _("Il questionario si è chiuso il %(end)s (era aperto dal %(start)s).") % dates


def _published(slug: str) -> Questionnaire:
    questionnaire = published_questionnaire(slug)
    if questionnaire is None:
        raise Http404(_("Questionario inesistente."))
    return questionnaire


def can_see_results(user, questionnaire: Questionnaire) -> bool:
    if questionnaire.results_published:  # callers pass published questionnaires only
        return True
    return is_team(user) or (user.is_authenticated and user.role == Role.OFFICE)


def can_see_open_answers(user) -> bool:
    return is_team(user)


@require_GET
def questionnaire_list(request):
    now = timezone.now()
    open_ones = list(Questionnaire.objects.open_at(now).order_by("closes_at"))
    with_results = Questionnaire.objects.with_public_results().with_response_count().order_by("-closes_at")
    page = Paginator(with_results, 10).get_page(request.GET.get("pagina"))
    return render(
        request,
        "surveys/list.html",
        {"open_ones": open_ones, "page": page, "gate": gate(Feature.ANSWER_QUESTIONNAIRE)},
    )


def _refusal(request, state: AnswerState) -> HttpResponse | None:
    """The page that says why this browser cannot answer now, or None when it can."""
    questionnaire = state.questionnaire
    closed = _closed_message(questionnaire)
    if closed:
        return render(request, "surveys/closed.html", {"questionnaire": questionnaire, "message": closed}, status=403)
    if state.already_answered():
        # The answers just sent, if the thank-you page was not loaded, are forgotten now.
        if state.has_session():
            state.forget_spent()
        return render(request, "surveys/already.html", {"questionnaire": questionnaire})
    return None


@require_http_methods(["GET", "POST"])
def start(request, slug: str):
    questionnaire = _published(slug)
    state = AnswerState(request, questionnaire)
    if refusal := _refusal(request, state):
        return refusal
    form = StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        state.begin()
        return redirect("surveys:section", slug, 1)
    sections = [section.title for section in Structure.cached(questionnaire).sections]
    return _uncached(
        render(request, "surveys/start.html", {"questionnaire": questionnaire, "form": form, "sections": sections})
    )


@require_http_methods(["GET", "POST"])
def section(request, slug: str, number: int):
    questionnaire = _published(slug)
    state = AnswerState(request, questionnaire)
    if refusal := _refusal(request, state):
        return refusal
    structure = Structure.cached(questionnaire)
    sections = structure.sections
    if not 1 <= number <= len(sections):
        raise Http404(_("Sezione inesistente."))
    is_last = number == len(sections)
    # The last section's form carries the earlier answers: sending it needs no session to rebuild them
    # (the draft in the session is then forgotten). A form without them falls back on the session.
    if not state.load(carried=is_last and request.method == "POST"):
        messages.info(request, _("Prima di rispondere leggi l'informativa sulla privacy."))
        return redirect("surveys:start", slug)
    first_missing = state.first_missing(len(sections))
    if number > first_missing:
        return redirect("surveys:section", slug, first_missing)
    previous = state.answers
    current = sections[number - 1]
    needs_municipalities = any(q.kind == Kind.MUNICIPALITY for q in current.questions.all())
    municipalities = (
        list(Municipality.objects.only("istat_code", "name").order_by("name")) if needs_municipalities else []
    )
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        structure=structure,
        section=current,
        previous=previous,
        municipalities=municipalities,
    )
    if request.method == "POST":
        if form.honeypot_filled:
            # A bot: it is told nothing, and nothing is kept.
            state.discard()
            return redirect("surveys:thanks", slug)
        if form.is_valid():
            previous.update(form.answers)
            if is_last:
                return _submit(request, state, structure, previous)
            state.save_section(number, previous)
            return redirect("surveys:section", slug, number + 1)
    elif not form.items:
        # Every question of this section depends on answers not given: nothing to ask here.
        previous.update(form.answers)
        state.save_section(number, previous)
        if number < len(sections):
            return redirect("surveys:section", slug, number + 1)
    return _uncached(
        render(
            request,
            "surveys/section.html",
            {
                "questionnaire": questionnaire,
                "form": form,
                "section": current,
                "number": number,
                "count": len(sections),
                "percent": round(100 * (number - 1) / len(sections)),
                "is_last": is_last,
                "carried": state.carry() if is_last else "",
                "carried_field": STATE_FIELD,
            },
        )
    )


@lru_cache(maxsize=256)
def _thanks_path(slug: str, language: str, prefix: str) -> str:
    """The thank-you page's address, per language (and script prefix): reversing an address under
    the language prefix costs more than the rest of sending a response's redirect."""
    return reverse("surveys:thanks", args=[slug])


def _uncached(reply: HttpResponse) -> HttpResponse:
    """A page that shows answers: a shared computer's back button or cache must not show them again."""
    add_never_cache_headers(reply)
    return reply


def _submit(request, state: AnswerState, structure: Structure, answers: dict):
    questionnaire = state.questionnaire
    # An IPv6 client counts by its /64; behind a proxy, by the address the proxy added.
    network = client_network(client_ip(request, (settings.SURVEYS_IP_HEADER, "REMOTE_ADDR")))
    if not rate_limit_allows(questionnaire=questionnaire, network=network):
        return render(request, "surveys/rate_limited.html", {"questionnaire": questionnaire}, status=429)
    try:
        # One INSERT: the answers come carried by the form (see ``section``).
        response_submit(
            questionnaire=questionnaire,
            answers=answers,
            structure=structure,
            municipality_codes=municipality_codes(),
            nonce=state.nonce,
        )
    except AlreadySubmitted:
        # The same signed form sent again (a double click, or a script replaying it): nothing more is stored.
        reply = render(request, "surveys/already_sent.html", {"questionnaire": questionnaire}, status=409)
        state.mark_answered(reply)
        return reply
    except ValidationError:
        # Only a tampered session or a questionnaire changed meanwhile lands here: start again.
        state.discard()
        messages.error(request, _("Le risposte non erano complete o valide: ti chiediamo di ricominciare."))
        return redirect("surveys:start", questionnaire.slug)
    # The earlier sections' answers leave the session now, not at a thank-you page that may never load.
    state.forget_sent()
    spread_soon()
    reply = HttpResponseRedirect(_thanks_path(questionnaire.slug, get_language(), get_script_prefix()))
    state.mark_answered(reply)
    return reply


@require_GET
def thanks(request, slug: str):
    questionnaire = _published(slug)
    # The answers just sent are forgotten here, the page the browser loads right after sending them.
    AnswerState(request, questionnaire).forget_spent()
    return render(request, "surveys/thanks.html", {"questionnaire": questionnaire})


def _filters(request, structure: Structure) -> tuple[str, int | None, dict]:
    municipality = request.GET.get("comune", "").strip()
    if municipality != OTHER_MUNICIPALITY and municipality not in municipality_codes():
        municipality = ""
    age = structure.first_of_kind(Kind.AGE_BAND)
    age_options = list(age.options.all()) if age else []
    age_band = as_int(request.GET.get("eta"))
    if age_band not in {o.pk for o in age_options}:
        age_band = None
    return municipality, age_band, {"age_options": age_options}


def _too_few(request, data: dict, municipality: str, age_band: int | None) -> str:
    """Why a filtered group's numbers are withheld from the public, or "" when they can be shown."""
    if not (municipality or age_band) or publishable(data["total"]) or is_team(request.user):
        return ""
    return _(
        "Con i filtri scelti le risposte sono meno di %(n)d: per proteggere l'anonimato di chi ha risposto "
        "i risultati non sono mostrati. Allarga i filtri."
    ) % {"n": settings.SURVEYS_MIN_GROUP}


def _results_questionnaire(request, slug: str) -> Questionnaire:
    questionnaire = _published(slug)
    if not can_see_results(request.user, questionnaire):
        raise Http404(_("I risultati di questo questionario non sono ancora pubblici."))
    return questionnaire


@require_GET
def results(request, slug: str):
    questionnaire = _results_questionnaire(request, slug)
    structure = Structure.cached(questionnaire)
    municipality, age_band, extra = _filters(request, structure)
    include_open = can_see_open_answers(request.user)
    data = compute(
        questionnaire, structure=structure, municipality=municipality, age_band=age_band, include_open=include_open
    )
    too_few = _too_few(request, data, municipality, age_band)
    informed = outcomes_by_input(INPUTS["surveys.question"], [r.question for r in data["questions"]], request.user)
    return render(
        request,
        "surveys/results.html",
        {
            "informed": informed,
            "questionnaire": questionnaire,
            "data": None if too_few else data,
            "too_few": too_few,
            "map": participation_map(data["rates"]) if data["has_residence"] and not too_few else None,
            "municipality": municipality,
            "age_band": age_band,
            "municipalities": [p["municipality"] for p in data["participation"]],
            "include_open": include_open,
            "other_municipality": OTHER_MUNICIPALITY,
            **extra,
        },
    )


@require_GET
def results_json(request, slug: str):
    questionnaire = _results_questionnaire(request, slug)
    structure = Structure.cached(questionnaire)
    municipality, age_band, _extra = _filters(request, structure)
    data = compute(questionnaire, structure=structure, municipality=municipality, age_band=age_band)
    too_few = _too_few(request, data, municipality, age_band)
    body = exports.withheld(questionnaire, too_few) if too_few else exports.aggregated(data, questionnaire)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_GET
def opendata_csv(request, slug: str):
    questionnaire = _results_questionnaire(request, slug)
    structure = Structure.cached(questionnaire)
    reply = StreamingHttpResponse(exports.csv_lines(structure), content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="questionario-{questionnaire.slug}.csv"'
    return reply
