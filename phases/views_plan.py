"""The plan documents on the web: the public list, the team's area, the progress page and downloads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities.models import Municipality
from phases.models import DraftSection, PlanComment, PlanDocument, PlanKind, PlanStatus
from phases.phases import Feature
from phases.plan.services import plan_comment_add, plan_comment_reply, plan_publish, plan_request, plan_unpublish
from phases.predicates import gate
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import is_team, role_required, team_required
from psm_portal.lib.forms import errors_text
from psm_portal.lib.params import as_int

# Who reads every version in the reserved area (the dashboard's «Documenti del piano»).
READERS = (Role.TEAM, Role.COUNCIL, Role.MAYOR, Role.OFFICE)
PAGE_SIZE = 20


class PlanRenderForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Documento da preparare"), choices=PlanKind.choices)


def _can_download_unpublished(user) -> bool:
    """Versions not yet published: the team prepares them and the council approves the final plan."""
    return is_team(user) or getattr(user, "is_council", False)


def _listing():
    # The snapshot can be megabytes: lists never load it, neither the document's nor its twin's.
    return PlanDocument.objects.select_related("requested_by", "published_by", "same_as").defer(
        "snapshot", "same_as__snapshot"
    )


@require_GET
def plan_list(request):
    page = Paginator(_listing().published(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "phases/plan/list.html", {"page": page})


@require_GET
def plan_download(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk, status=PlanStatus.READY)
    if not document.is_published and not _can_download_unpublished(request.user):
        raise Http404(_("Documento non trovato."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Il file del documento non è disponibile."))
    response = FileResponse(handle, as_attachment=True, filename=document.filename, content_type="application/pdf")
    response["X-Content-SHA256"] = document.sha256
    return response


@role_required(*READERS)
@require_GET
def plan_manage(request):
    page = Paginator(_listing().order_by("-requested_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "phases/plan/manage.html",
        {
            "page": page,
            "form": PlanRenderForm(),
            "can_render": request.user.is_team,
            "can_download_unpublished": _can_download_unpublished(request.user),
        },
    )


@team_required
@require_POST
def plan_render_view(request):
    form = PlanRenderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegli quale documento preparare: proposta preliminare o piano finale."))
        return redirect("phases:plan_manage")
    document, created = plan_request(kind=form.cleaned_data["kind"], user=request.user)
    if created:
        messages.success(request, _("La preparazione di %(document)s è stata avviata.") % {"document": document})
    else:
        messages.info(
            request,
            _("I dati non sono cambiati dall'ultima versione: ecco %(document)s, già preparato con gli stessi dati.")
            % {"document": document},
        )
    return redirect("phases:plan_progress", pk=document.pk)


@role_required(*READERS)
@require_GET
def plan_progress(request, pk: int):
    document = get_object_or_404(_listing(), pk=pk)
    return render(
        request,
        "phases/plan/progress.html",
        {
            "document": document,
            "can_render": request.user.is_team,
            "can_download": document.is_ready and (document.is_published or _can_download_unpublished(request.user)),
        },
    )


@role_required(*READERS)
@require_GET
def plan_status(request, pk: int):
    document = get_object_or_404(
        PlanDocument.objects.only(
            "pk", "kind", "version", "status", "progress", "error", "sha256", "pages", "same_as_id", "published_at"
        ),
        pk=pk,
    )
    can_download = document.is_ready and (document.is_published or _can_download_unpublished(request.user))
    return JsonResponse(
        {
            "id": document.pk,
            "status": document.status,
            "status_label": document.get_status_display(),
            "progress": document.progress,
            "done": document.is_done,
            # The worker's message may name files and exceptions: for the team only.
            "error": document.error if request.user.is_team else "",
            "sha256": document.sha256,
            "pages": document.pages,
            "download_url": reverse("phases:plan_download", args=[document.pk]) if can_download else "",
            "same_as_url": reverse("phases:plan_progress", args=[document.same_as_id]) if document.same_as_id else "",
        },
        headers={"Cache-Control": "no-store"},
    )


@team_required
@require_POST
def plan_publish_view(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk)
    try:
        plan_publish(document=document, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(document)s è pubblicato su /piano/.") % {"document": document})
    return redirect("phases:plan_manage")


@team_required
@require_POST
def plan_unpublish_view(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk)
    plan_unpublish(document=document, user=request.user)
    messages.success(request, _("%(document)s non è più pubblicato.") % {"document": document})
    return redirect("phases:plan_manage")


# --- Discussion of the preliminary proposal -----------------------------------------------------------------


class PlanCommentForm(forms.Form):
    section = forms.ChoiceField(label=gettext_lazy("Sezione"), choices=DraftSection.choices)
    body = forms.CharField(
        label=gettext_lazy("Il tuo commento"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


def _discussed_draft():
    return _listing().of_kind(PlanKind.DRAFT).published().first()


def _is_participant(user) -> bool:
    return PlanComment.participant_of(user) is not None


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def plan_discussion(request):
    document = _discussed_draft()
    status = gate(Feature.COMMENT_DRAFT_PLAN)
    participant = _is_participant(request.user)
    form = PlanCommentForm()
    if request.method == "POST":
        if not participant:
            raise PermissionDenied(_("Commentano i sindaci e gli uffici della Città Metropolitana."))
        form = PlanCommentForm(request.POST)
        if not status.open:
            messages.error(request, status.message)
            return redirect("phases:plan_discussion")
        if document is None:
            messages.error(request, _("Non c'è ancora una proposta preliminare pubblicata da commentare."))
            return redirect("phases:plan_discussion")
        if form.is_valid():
            try:
                plan_comment_add(document=document, user=request.user, **form.cleaned_data)
            except ValueError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Commento inviato."))
                section = form.cleaned_data["section"]
                return redirect(f"{reverse('phases:plan_discussion')}#sezione-{section}")
        elif "section" in form.errors:
            # A hidden field: nothing on the page could show this error beside it.
            messages.error(
                request,
                _(
                    "Il commento non è stato inviato: la sezione del documento non è valida. "
                    "Ricarica la pagina e riprova."
                ),
            )
        else:
            messages.error(request, _("Il commento non è stato inviato: controlla i campi evidenziati."))
    sections = []
    if document is not None:
        if participant:
            comments = PlanComment.objects.filter(document=document).of_participant(request.user)
            by_section: dict[str, list] = {}
            for comment in comments.select_related("author"):
                by_section.setdefault(comment.section, []).append(comment)
        else:
            counts = (
                PlanComment.objects.filter(document=document)
                .from_participants()
                .values("section")
                .annotate(
                    comments=Count("pk"),
                    municipalities=Count("municipality", distinct=True),
                    offices=Count("office", distinct=True),
                )
            )
            by_section = {row["section"]: row for row in counts}
        sections = [{"key": key, "label": label, "data": by_section.get(key)} for key, label in DraftSection.choices]
    return render(
        request,
        "phases/plan/discussion.html",
        {
            "document": document,
            "gate": status,
            "participant": participant,
            "sections": sections,
            "form": form,
            "posted_section": form.data.get("section") if form.is_bound else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


class PlanReplyForm(forms.Form):
    """The team's reply in one thread; the section page shows one per thread (``for_thread``).

    The form is inline and the view redirects: its messages are what to do, shown above the page."""

    THREAD_INVALID = gettext_lazy("la discussione indicata non è valida, ricarica la pagina e riprova")
    BODY_INVALID = gettext_lazy("scrivi il testo (al massimo 4.000 caratteri)")

    thread = forms.CharField(
        widget=forms.HiddenInput,
        max_length=30,
        error_messages={"required": THREAD_INVALID, "max_length": THREAD_INVALID},
    )
    body = forms.CharField(
        label=gettext_lazy("Risposta del team PSM"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        error_messages={"required": BODY_INVALID, "max_length": BODY_INVALID},
    )
    # The page of the section the team is reading, to go back to it; anything else is page 1.
    pagina = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_thread(cls, key: str, page: int = 1) -> PlanReplyForm:
        # One form per thread on the page, each with its own ids; the fields keep their names.
        return cls(auto_id=f"risposta-{key}-%s", initial={"thread": key, "pagina": page})

    def clean_pagina(self) -> int:
        page = as_int(self.cleaned_data.get("pagina"))
        return page if page and page > 0 else 1


@team_required
@require_POST
def plan_discussion_reply(request, section: str):
    if section not in DraftSection.values:
        raise Http404(_("Sezione sconosciuta."))
    back = reverse("phases:plan_discussion_section", args=[section])
    document = _discussed_draft()
    status = gate(Feature.COMMENT_DRAFT_PLAN)
    form = PlanReplyForm(request.POST)
    valid = form.is_valid()
    page = form.cleaned_data["pagina"]  # never refused: anything but a positive number is page 1
    if page > 1:
        back = f"{back}?pagina={page}"
    if not status.open:
        messages.error(request, status.message)
    elif document is None:
        messages.error(request, _("Non c'è una proposta preliminare pubblicata."))
    elif not valid:
        messages.error(request, _("La risposta non è stata inviata: %(fixes)s.") % {"fixes": errors_text(form, "; ")})
    else:
        try:
            plan_comment_reply(
                document=document,
                section=section,
                user=request.user,
                thread=form.cleaned_data["thread"],
                body=form.cleaned_data["body"],
            )
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Risposta inviata."))
            return redirect(f"{back}#{form.cleaned_data['thread']}")
    return redirect(back)


@role_required(Role.TEAM, Role.COUNCIL)
@require_GET
def plan_discussion_section(request, section: str):
    if section not in DraftSection.values:
        raise Http404(_("Sezione sconosciuta."))
    document = _discussed_draft()
    if document is None:
        raise Http404(_("Non c'è una proposta preliminare pubblicata."))
    comments = (
        PlanComment.objects.filter(document=document, section=section)
        .select_related("author", "municipality", "office")
        .order_by("municipality__name", "office__name", "created_at", "pk")
    )
    page = Paginator(comments, 50).get_page(request.GET.get("pagina"))
    can_reply = request.user.is_team and gate(Feature.COMMENT_DRAFT_PLAN).open
    threads: list[dict] = []
    for comment in page.object_list:
        if not threads or threads[-1]["key"] != comment.thread_key:
            threads.append({"key": comment.thread_key, "first": comment, "comments": []})
        threads[-1]["comments"].append(comment)
    if can_reply:
        for thread in threads:
            thread["form"] = PlanReplyForm.for_thread(thread["key"], page.number)
    return render(
        request,
        "phases/plan/discussion_section.html",
        {
            "document": document,
            "section": section,
            "section_label": DraftSection(section).label,
            "page": page,
            "threads": threads,
            "can_reply": can_reply,
        },
    )


@role_required(Role.TEAM, Role.COUNCIL)
@require_GET
def plan_discussion_coverage(request):
    document = _discussed_draft()
    counts: dict[str, dict] = {}
    if document is not None:
        rows = (
            PlanComment.objects.filter(document=document, municipality__isnull=False)
            .from_participants()
            .values("municipality")
            .annotate(comments=Count("pk"), sections=Count("section", distinct=True))
        )
        counts = {row["municipality"]: row for row in rows}
    municipalities = [
        {"municipality": m, "counts": counts.get(m.istat_code)}
        for m in Municipality.objects.defer("boundary", "svg_path").order_by("name")
    ]
    commented = sum(1 for m in municipalities if m["counts"])
    return render(
        request,
        "phases/plan/discussion_coverage.html",
        {
            "document": document,
            "municipalities": municipalities,
            "commented": commented,
            "total": len(municipalities),
            "section_count": len(DraftSection.values),
        },
    )
