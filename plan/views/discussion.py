"""Reserved area: the discussion of the published preliminary proposal. Mayors and offices comment section by
section, the PSM team replies in each comune's or office's thread, team and council read the threads and the
coverage."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities.models import Municipality
from outcomes.reads import outcomes_by_input
from outcomes.registry import INPUTS
from phases.phases import Feature
from phases.predicates import gate
from plan.forms import PlanCommentForm, PlanReplyForm
from plan.models import DraftSection, PlanComment, PlanDocument
from plan.readers import COUNCIL_READERS, READERS
from plan.services import plan_comment_add, plan_comment_reply
from psm_portal.accounts.permissions import role_required, team_required
from psm_portal.lib.forms import errors_text


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def plan_discussion(request):
    document = PlanDocument.objects.discussed_draft()
    status = gate(Feature.COMMENT_DRAFT_PLAN)
    participant = PlanComment.participant_of(request.user) is not None
    form = PlanCommentForm()
    if request.method == "POST":
        if not participant:
            raise PermissionDenied(_("Commentano i sindaci e gli uffici della Città Metropolitana."))
        form = PlanCommentForm(request.POST)
        if not status.open:
            messages.error(request, status.message)
            return redirect("plan:discussion")
        if document is None:
            messages.error(request, _("Non c'è ancora una proposta preliminare pubblicata da commentare."))
            return redirect("plan:discussion")
        if form.is_valid():
            try:
                plan_comment_add(document=document, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, errors_text(exc))
            else:
                messages.success(request, _("Commento inviato."))
                section = form.cleaned_data["section"]
                return redirect(f"{reverse('plan:discussion')}#sezione-{section}")
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
        comments = PlanComment.objects.filter(document=document)
        by_section = comments.of_participant(request.user).by_section() if participant else comments.section_counts()
        sections = [{"key": key, "label": label, "data": by_section.get(key)} for key, label in DraftSection.choices]
    return render(
        request,
        "plan/discussion.html",
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


@team_required
@require_POST
def plan_discussion_reply(request, section: str):
    if section not in DraftSection.values:
        raise Http404(_("Sezione sconosciuta."))
    back = reverse("plan:discussion_section", args=[section])
    document = PlanDocument.objects.discussed_draft()
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
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, _("Risposta inviata."))
            return redirect(f"{back}#{form.cleaned_data['thread']}")
    return redirect(back)


@role_required(*COUNCIL_READERS)
@require_GET
def plan_discussion_section(request, section: str):
    if section not in DraftSection.values:
        raise Http404(_("Sezione sconosciuta."))
    document = PlanDocument.objects.discussed_draft()
    if document is None:
        raise Http404(_("Non c'è una proposta preliminare pubblicata."))
    comments = PlanComment.objects.filter(document=document, section=section).in_thread_order()
    page = Paginator(comments, 50).get_page(request.GET.get("pagina"))
    can_reply = request.user.is_team and gate(Feature.COMMENT_DRAFT_PLAN).open
    threads = page.object_list.threads()
    if can_reply:
        for thread in threads:
            thread["form"] = PlanReplyForm.for_thread(thread["key"], page.number)
    return render(
        request,
        "plan/discussion_section.html",
        {
            "document": document,
            "section": section,
            "section_label": DraftSection(section).label,
            "page": page,
            "threads": threads,
            "can_reply": can_reply,
            "outcomes": outcomes_by_input(
                INPUTS["plan.plancomment"], [c for t in threads for c in t["comments"] if not c.from_team], request.user
            ),
        },
    )


@role_required(*COUNCIL_READERS)
@require_GET
def plan_discussion_coverage(request):
    document = PlanDocument.objects.discussed_draft()
    counts = PlanComment.objects.filter(document=document).municipality_counts() if document is not None else {}
    municipalities = [
        {"municipality": m, "counts": counts.get(m.istat_code)}
        for m in Municipality.objects.defer("boundary", "svg_path").order_by("name")
    ]
    commented = sum(1 for m in municipalities if m["counts"])
    return render(
        request,
        "plan/discussion_coverage.html",
        {
            "document": document,
            "municipalities": municipalities,
            "commented": commented,
            "total": len(municipalities),
            "section_count": len(DraftSection.values),
        },
    )
