"""Reserved area: mayors and office staff take positions on the Vision and the general objectives; the PSM
team reads them all, the council downloads the documents of those whose review is over
(``Position.objects.readable_by``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities.models import Municipality
from outcomes.reads import outcomes_by_input
from outcomes.registry import INPUTS
from phases import services
from phases.forms import PositionForm
from phases.models import Objective, ObjectiveLevel, Position, VisionVersion
from phases.speakers import speaker_for
from psm_portal.accounts.models import Office
from psm_portal.accounts.permissions import is_team
from psm_portal.lib.forms import errors_text
from psm_portal.lib.uploads import serve_private_file


@login_required
def my_positions(request):
    speaker = speaker_for(request.user)
    if speaker is None:
        raise PermissionDenied(_("Solo i sindaci e il personale degli uffici prendono posizione sulla Visione."))
    return redirect("phases:positions", kind=speaker.kind, key=speaker.key)


def _subject(kind: str, key: str):
    if kind == "comune":
        return get_object_or_404(Municipality.objects.defer("boundary", "svg_path"), istat_code=key)
    if kind == "ufficio":
        return get_object_or_404(Office, code=key)
    raise Http404


def _may_read_positions(user, kind: str, subject) -> bool:
    if is_team(user):
        return True
    speaker = speaker_for(user)
    return speaker is not None and speaker.kind == kind and speaker.subject.pk == subject.pk


def _targets(request, subject, kind: str, version, bound: dict | None = None) -> tuple[list[dict], int]:
    """The Vision and each general objective, with its text, the current position and its form (the bound one
    of a refused save, so that what was written and its errors stay)."""
    general = list(Objective.objects.general().in_tree_order())
    existing = {}
    if version:
        filter_ = {"municipality": subject} if kind == "comune" else {"office": subject}
        readable = Position.objects.readable_by(request.user).for_version(version).filter(**filter_)
        existing = {p.objective_id: p for p in readable}
    outcomes = outcomes_by_input(INPUTS["phases.position"], existing.values(), request.user) if existing else {}
    targets = []
    for objective in [None, *general]:
        slug = objective.code if objective else "visione"
        position = existing.get(objective.pk if objective else None)
        initial = {"version": version.pk if version else 0}
        if position:
            initial.update(stance=position.stance, comment=position.comment)
        form = (bound or {}).get(slug) or PositionForm(initial=initial, prefix=f"t-{slug}")
        targets.append(
            {
                "objective": objective,
                "slug": slug,
                "position": position,
                "form": form,
                "outcomes": outcomes.get(position.pk, []) if position else [],
            }
        )
    return targets, len(existing)


@login_required
@require_http_methods(["GET", "POST"])
def positions(request, kind: str, key: str):
    """A comune's or an office's positions; its speaker saves them all with one button (POST), and a target
    refused keeps what was written and its error while the others are saved."""
    subject = _subject(kind, key)
    if not _may_read_positions(request.user, kind, subject):
        raise PermissionDenied(_("Puoi vedere e dare solo le posizioni del tuo comune o del tuo ufficio."))
    speaker = speaker_for(request.user)
    can_write = speaker is not None and speaker.kind == kind and speaker.subject.pk == subject.pk
    version = VisionVersion.objects.open_for_review().first() or VisionVersion.objects.published().first()
    allowed, message = services.review_gate(version)
    refused: dict[str, PositionForm] = {}
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Puoi prendere posizione solo per il tuo comune o il tuo ufficio."))
        saved, refused = _save_all(request, version)
        if saved:
            messages.success(request, _("Posizioni salvate: %(n)s.") % {"n": saved})
        if not refused:
            if not saved:
                messages.info(request, _("Nessuna posizione cambiata."))
            return redirect("phases:positions", kind=kind, key=key)
        messages.error(
            request,
            _("Posizioni non salvate: %(n)s. Correggi quanto indicato qui sotto e salva di nuovo.")
            % {"n": len(refused)},
        )
        allowed, message = services.review_gate(version)
    targets, answered = _targets(request, subject, kind, version, refused)
    return render(
        request,
        "phases/positions.html",
        {
            "kind": kind,
            "key": key,
            "subject": subject,
            "version": version,
            "targets": targets,
            "allowed": allowed and can_write,
            "gate_message": message,
            "can_write": can_write,
            "answered": answered,
        },
    )


def _save_all(request, version) -> tuple[int, dict[str, PositionForm]]:
    """Save every target whose stance was chosen and changed; returns how many were saved and the refused forms."""
    general = {o.code: o for o in Objective.objects.general()}
    existing = {}
    if version is not None and (speaker := speaker_for(request.user)) is not None:
        existing = {p.objective_id: p for p in Position.objects.for_version(version).filter(speaker.filter())}
    saved, refused = 0, {}
    for slug, objective in [("visione", None), *general.items()]:
        prefix = f"t-{slug}"
        if not request.POST.get(f"{prefix}-stance") and not request.FILES.get(f"{prefix}-attachment"):
            continue  # nothing chosen for this target
        form = PositionForm(request.POST, request.FILES, prefix=prefix)
        if not form.is_valid():
            refused[slug] = form
            continue
        data = form.cleaned_data
        current = existing.get(objective.pk if objective else None)
        if (
            current is not None
            and (current.stance, current.comment) == (data["stance"], data["comment"].strip())
            and not data["attachment"]
            and not data["remove_attachment"]
        ):
            continue  # unchanged: no new act in the log
        try:
            if version is None or data["version"] != version.pk:
                raise ValidationError(_("La versione della Visione in consultazione è cambiata: ricarica la pagina."))
            # Whether the review still accepts positions (phase, deadline) is the service's to say.
            services.position_submit(
                version=version,
                user=request.user,
                objective=objective,
                stance=data["stance"],
                comment=data["comment"],
                attachment=data["attachment"] or None,
                remove_attachment=data["remove_attachment"],
            )
            saved += 1
        except ValidationError as error:
            form.add_error(None, error)
            refused[slug] = form
    return saved, refused


@login_required
@require_POST
def position_save(request, kind: str, key: str, target: str):
    subject = _subject(kind, key)
    speaker = speaker_for(request.user)
    if speaker is None or speaker.kind != kind or speaker.subject.pk != subject.pk:
        raise PermissionDenied(_("Puoi prendere posizione solo per il tuo comune o il tuo ufficio."))
    objective = None
    if target != "visione":
        objective = get_object_or_404(Objective, code=target, level=ObjectiveLevel.GENERAL)
    back = reverse("phases:positions", kwargs={"kind": kind, "key": key}) + f"#posizione-{target}"
    version = VisionVersion.objects.open_for_review().first()
    form = PositionForm(request.POST, request.FILES, prefix=f"t-{target}")
    if not form.is_valid():
        messages.error(request, _("Posizione non salvata: %(errors)s") % {"errors": errors_text(form)})
        return HttpResponseRedirect(back)
    if version is None or form.cleaned_data["version"] != version.pk:
        messages.error(request, _("Posizione non salvata: la versione della Visione in consultazione è cambiata."))
        return HttpResponseRedirect(back)
    try:
        services.position_submit(
            version=version,
            user=request.user,
            objective=objective,
            stance=form.cleaned_data["stance"],
            comment=form.cleaned_data["comment"],
            attachment=form.cleaned_data["attachment"] or None,
            remove_attachment=form.cleaned_data["remove_attachment"],
        )
    except ValidationError as error:
        messages.error(request, _("Posizione non salvata: %(errors)s") % {"errors": errors_text(error)})
        return HttpResponseRedirect(back)
    label = objective.code if objective else _("Visione")
    messages.success(request, _("Posizione su %(target)s salvata.") % {"target": label})
    return HttpResponseRedirect(back)


@login_required
@require_GET
def position_attachment(request, pk: int):
    # Whoever may read the position, on its list, may download its document; nobody else learns it exists.
    position = get_object_or_404(Position.objects.readable_by(request.user), pk=pk)
    if not position.attachment:
        raise Http404
    return serve_private_file(position.attachment, position.attachment_name or position.attachment.name)
