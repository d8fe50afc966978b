from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from municipalities.maps import MunicipalityMap, categorical
from municipalities.models import Municipality
from phases import coverage, services
from phases.diffing import word_diff
from phases.documents import content_type_for
from phases.forms import (
    DiffForm,
    IndicatorFormSet,
    ObjectiveForm,
    OpenReviewForm,
    PhaseDatesForm,
    PositionForm,
    VisionVersionForm,
)
from phases.models import Objective, ObjectiveLevel, Phase, Position, Stance, VisionStatus, VisionVersion
from phases.phases import CITIZEN, FEATURE_ROLES, Feature
from phases.predicates import active_phase
from projects.models import Office
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import team_required
from psm_portal.audit.models import AuditEvent
from psm_portal.lib.csvexport import csv_response

ROLE_LABELS = {CITIZEN: gettext_lazy("Cittadini"), **{role.value: role.label for role in Role}}


def _tree(objectives) -> list[Objective]:
    """Attach ``tree_children`` to each node of an already ordered list; returns the axes."""
    by_id = {o.pk: o for o in objectives}
    roots = []
    for objective in objectives:
        objective.tree_children = []
    for objective in objectives:
        if objective.parent_id and objective.parent_id in by_id:
            by_id[objective.parent_id].tree_children.append(objective)
        elif objective.parent_id is None:
            roots.append(objective)
    return roots


def _tree_queryset():
    return Objective.objects.in_tree_order().prefetch_related("indicators")


# --- Public pages -----------------------------------------------------------------------------------------------


@require_GET
def timeline(request):
    phases = list(Phase.objects.order_by("order"))
    now = timezone.now()
    current = next((p for p in phases if p.is_active(now)), None)
    rows = []
    for phase in phases:
        features = [feature for feature in Feature if feature in phase.features]
        rows.append(
            {
                "phase": phase,
                "active": phase is current,
                "past": phase.ends_at <= now,
                "features": [
                    {"label": feature.label, "roles": [ROLE_LABELS[r] for r in sorted(FEATURE_ROLES[feature])]}
                    for feature in features
                ],
            }
        )
    now_by_role = []
    if current:
        for role, label in ROLE_LABELS.items():
            open_now = [f.label for f in Feature if f in current.features and role in FEATURE_ROLES[f]]
            now_by_role.append({"label": label, "features": open_now})
    return render(
        request, "phases/timeline.html", {"rows": rows, "current": current, "now": now, "now_by_role": now_by_role}
    )


@require_GET
def vision(request):
    version = VisionVersion.objects.current()
    axes = _tree(list(_tree_queryset()))
    allowed, _message = services.review_gate(version)
    return render(
        request,
        "phases/vision.html",
        {
            "version": version,
            "axes": axes,
            "review_open": allowed,
            "speaker": services.speaker_for(request.user),
        },
    )


@require_GET
def vision_versions(request):
    versions = VisionVersion.objects.published().order_by("-number")
    return render(request, "phases/vision_versions.html", {"versions": versions})


def _visible_version(request, number: int) -> VisionVersion:
    queryset = VisionVersion.objects.all() if _is_team(request.user) else VisionVersion.objects.published()
    return get_object_or_404(queryset, number=number)


@require_GET
def vision_version(request, number: int):
    version = _visible_version(request, number)
    return render(request, "phases/vision_version.html", {"version": version})


@require_GET
def vision_diff(request):
    form = DiffForm(request.GET or None)
    if not form.is_valid():
        messages.error(request, _("Scegli due versioni da confrontare."))
        return redirect("phases:vision_versions")
    old = _visible_version(request, form.cleaned_data["da"])
    new = _visible_version(request, form.cleaned_data["a"])
    return render(
        request, "phases/vision_diff.html", {"old": old, "new": new, "paragraphs": word_diff(old.text, new.text)}
    )


@require_GET
def objective_detail(request, code: str):
    objective = get_object_or_404(Objective.objects.select_related("parent__parent"), code=code)
    ancestors = [a for a in (objective.parent.parent if objective.parent else None, objective.parent) if a]
    children = objective.children.order_by("sort_key").prefetch_related("indicators")
    needs = objective.needs.select_related("municipality").order_by("-created_at")[:20]
    # Positions are public once a review is closed: the totals of the latest closed one.
    closed = VisionVersion.objects.filter(status__in=[VisionStatus.CLOSED, VisionStatus.ADOPTED]).first()
    stances = []
    if closed and objective.is_general:
        counts = dict(
            Position.objects.for_version(closed)
            .filter(objective=objective)
            .values_list("stance")
            .annotate(n=Count("id"))
        )
        stances = [(label, counts.get(value, 0)) for value, label in Stance.choices]
    return render(
        request,
        "phases/objective.html",
        {
            "objective": objective,
            "ancestors": ancestors,
            "indicators": objective.indicators.all(),
            "children": children,
            "needs": needs,
            "closed_version": closed,
            "stances": stances,
        },
    )


# --- Team: phases -----------------------------------------------------------------------------------------------


def _is_team(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.TEAM)


@team_required
def manage(request):
    phases = list(Phase.objects.order_by("order"))
    now = timezone.now()
    for phase in phases:
        phase.dates_form = PhaseDatesForm(
            initial={"starts_at": timezone.localtime(phase.starts_at), "ends_at": timezone.localtime(phase.ends_at)},
            prefix=f"fase-{phase.pk}",
        )
        phase.running = phase.is_active(now)
    log = AuditEvent.objects.filter(object_type="phases.phase").select_related("actor")[:30]
    return render(request, "phases/manage.html", {"phases": phases, "log": log, "active": active_phase(now)})


@team_required
@require_POST
def phase_close(request, pk: int):
    phase = get_object_or_404(Phase, pk=pk)
    try:
        services.phase_close(phase=phase, actor=request.user)
        messages.success(request, _("La fase «%(phase)s» è chiusa.") % {"phase": phase.name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("phases:manage")


@team_required
@require_POST
def phase_dates(request, pk: int):
    phase = get_object_or_404(Phase, pk=pk)
    form = PhaseDatesForm(request.POST, prefix=f"fase-{phase.pk}")
    if form.is_valid():
        try:
            services.phase_reschedule(
                phase=phase,
                actor=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
            messages.success(request, _("Date della fase «%(phase)s» aggiornate.") % {"phase": phase.name})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, _("Date non valide: %(errors)s") % {"errors": " ".join(errors)})
    return redirect("phases:manage")


# --- Team: Vision and objectives ----------------------------------------------------------------------------------


@team_required
def manage_vision(request):
    versions = VisionVersion.objects.order_by("-number")
    axes = _tree(list(_tree_queryset()))
    return render(
        request,
        "phases/manage_vision.html",
        {"versions": versions, "axes": axes, "open_form": OpenReviewForm(), "statuses": VisionStatus},
    )


@team_required
def version_create(request):
    last = VisionVersion.objects.order_by("-number").first()
    initial = {"title": last.title, "text": last.text} if last else {}
    form = VisionVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = services.vision_version_create(
            actor=request.user, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
        )
        messages.success(request, _("Creata la bozza della versione %(n)s.") % {"n": version.number})
        return redirect("phases:manage_vision")
    return render(request, "phases/version_form.html", {"form": form, "version": None})


@team_required
def version_edit(request, pk: int):
    version = get_object_or_404(VisionVersion, pk=pk)
    if not version.is_draft:
        messages.error(request, _("Solo una bozza si può modificare: crea una nuova versione."))
        return redirect("phases:manage_vision")
    form = VisionVersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        services.vision_version_update(
            version=version, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
        )
        messages.success(request, _("Bozza salvata."))
        return redirect("phases:manage_vision")
    return render(request, "phases/version_form.html", {"form": form, "version": version})


@team_required
@require_POST
def version_open(request, pk: int):
    version = get_object_or_404(VisionVersion, pk=pk)
    form = OpenReviewForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
        return redirect("phases:manage_vision")
    try:
        services.vision_version_open(version=version, actor=request.user, deadline=form.cleaned_data["deadline"])
        messages.success(
            request, _("La versione %(n)s è aperta alle posizioni di sindaci e uffici.") % {"n": version.number}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("phases:manage_vision")


def _version_transition(request, pk: int, service, success: str):
    version = get_object_or_404(VisionVersion, pk=pk)
    try:
        service(version=version, actor=request.user)
        messages.success(request, success % {"n": version.number})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("phases:manage_vision")


@team_required
@require_POST
def version_close(request, pk: int):
    return _version_transition(
        request, pk, services.vision_version_close, _("Consultazione sulla versione %(n)s chiusa.")
    )


@team_required
@require_POST
def version_adopt(request, pk: int):
    return _version_transition(request, pk, services.vision_version_adopt, _("Versione %(n)s adottata."))


@team_required
def objective_edit(request, pk: int | None = None):
    objective = get_object_or_404(Objective, pk=pk) if pk else Objective()
    initial = {}
    if not pk and (parent_code := request.GET.get("padre")):
        initial["parent"] = Objective.objects.filter(code=parent_code, level__lt=ObjectiveLevel.SPECIFIC).first()
    form = ObjectiveForm(request.POST or None, instance=objective, initial=initial)
    formset = IndicatorFormSet(request.POST or None, instance=objective, prefix="indicatori")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        objective = form.save(commit=False)
        services.objective_save(objective=objective, actor=request.user)
        formset.instance = objective
        formset.save()
        messages.success(request, _("Obiettivo %(code)s salvato.") % {"code": objective.code})
        return redirect("phases:manage_vision")
    return render(request, "phases/objective_form.html", {"form": form, "formset": formset, "objective": objective})


# --- Positions ----------------------------------------------------------------------------------------------------


@login_required
def my_positions(request):
    speaker = services.speaker_for(request.user)
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
    if _is_team(user):
        return True
    speaker = services.speaker_for(user)
    return speaker is not None and speaker.kind == kind and speaker.subject.pk == subject.pk


@login_required
def positions(request, kind: str, key: str):
    subject = _subject(kind, key)
    if not _may_read_positions(request.user, kind, subject):
        raise PermissionDenied(_("Puoi vedere e dare solo le posizioni del tuo comune o del tuo ufficio."))
    speaker = services.speaker_for(request.user)
    can_write = speaker is not None and speaker.kind == kind and speaker.subject.pk == subject.pk
    version = VisionVersion.objects.open_for_review().first() or VisionVersion.objects.published().first()
    allowed, message = services.review_gate(version)
    general = list(Objective.objects.general().in_tree_order())
    existing = {}
    if version:
        filter_ = {"municipality": subject} if kind == "comune" else {"office": subject}
        existing = {p.objective_id: p for p in Position.objects.for_version(version).filter(**filter_)}
    targets = []
    for objective in [None, *general]:
        position = existing.get(objective.pk if objective else None)
        prefix = f"t-{objective.code if objective else 'visione'}"
        initial = {"version": version.pk if version else 0}
        if position:
            initial.update(stance=position.stance, comment=position.comment)
        targets.append(
            {
                "objective": objective,
                "slug": objective.code if objective else "visione",
                "position": position,
                "form": PositionForm(initial=initial, prefix=prefix),
            }
        )
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
            "answered": len(existing),
        },
    )


@login_required
@require_POST
def position_save(request, kind: str, key: str, target: str):
    subject = _subject(kind, key)
    speaker = services.speaker_for(request.user)
    if speaker is None or speaker.kind != kind or speaker.subject.pk != subject.pk:
        raise PermissionDenied(_("Puoi prendere posizione solo per il tuo comune o il tuo ufficio."))
    objective = None
    if target != "visione":
        objective = get_object_or_404(Objective, code=target, level=ObjectiveLevel.GENERAL)
    back = reverse("phases:positions", kwargs={"kind": kind, "key": key}) + f"#posizione-{target}"
    version = VisionVersion.objects.open_for_review().first()
    form = PositionForm(request.POST, request.FILES, prefix=f"t-{target}")
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, _("Posizione non salvata: %(errors)s") % {"errors": " ".join(errors)})
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
        messages.error(request, _("Posizione non salvata: %(errors)s") % {"errors": " ".join(error.messages)})
        return HttpResponseRedirect(back)
    label = objective.code if objective else _("Visione")
    messages.success(request, _("Posizione su %(target)s salvata.") % {"target": label})
    return HttpResponseRedirect(back)


def _may_download_position(user, position: Position) -> bool:
    if _is_team(user) or user.role == Role.COUNCIL:
        return True
    speaker = services.speaker_for(user)
    if speaker is None:
        return False
    if speaker.kind == "comune":
        return position.municipality_id == speaker.subject.pk
    return position.office_id == speaker.subject.pk


@login_required
@require_GET
def position_attachment(request, pk: int):
    position = get_object_or_404(Position, pk=pk)
    if not position.attachment or not _may_download_position(request.user, position):
        raise Http404
    return _serve(position.attachment, position.attachment_name or position.attachment.name)


def _serve(field_file, name: str) -> FileResponse:
    handle = field_file.storage.open(field_file.name, "rb")
    download = name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle, as_attachment=True, filename=download, content_type=content_type_for(field_file.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Coverage dashboard ---------------------------------------------------------------------------------------


@team_required
@require_GET
def coverage_dashboard(request):
    versions = list(
        VisionVersion.objects.published().order_by("-number").only("pk", "number", "status", "deadline", "title")
    )
    version = next((v for v in versions if v.is_open), versions[0] if versions else None)
    if (number := request.GET.get("versione", "")).isdigit():
        version = next((v for v in versions if v.number == int(number)), version)
    if version is None:
        return render(request, "phases/coverage.html", {"version": None, "versions": versions})
    general = list(Objective.objects.general().in_tree_order().only("pk", "code", "title", "level", "sort_key"))
    expected = 1 + len(general)
    counts = coverage.municipality_counts(version)
    municipalities = list(Municipality.objects.for_map())
    rows = []
    states = {}
    for m in municipalities:
        count = counts.get(m.istat_code, 0)
        state = coverage._state(count, expected)
        states[m.istat_code] = state
        rows.append({"municipality": m, "count": count, "state": state, "label": coverage.STATE_LABELS[state]})
    rows.sort(key=lambda r: r["municipality"].name)
    fills, legend = categorical(states, coverage.STATE_PALETTE)
    notes = {r["municipality"].istat_code: f"{r['label']} ({r['count']}/{expected})" for r in rows}
    coverage_map = MunicipalityMap(
        title=_("Chi ha risposto sulla versione %(n)s della Visione") % {"n": version.number},
        description=_(
            "Ogni comune è colorato secondo lo stato della sua risposta; la tabella riporta gli stessi dati."
        ),
        fills=fills,
        notes=notes,
        legend=legend,
        dom_id="mappa-copertura",
    )
    summary = {state: sum(1 for r in rows if r["state"] == state) for state in coverage.STATE_LABELS}
    offices = coverage.office_rows(version, expected)
    for row in offices:
        row["label"] = coverage.STATE_LABELS[row["state"]]
    return render(
        request,
        "phases/coverage.html",
        {
            "version": version,
            "versions": versions,
            "rows": rows,
            "map": coverage_map,
            "shapes": municipalities,
            "summary": [(coverage.STATE_LABELS[s], n) for s, n in summary.items()],
            "offices": offices,
            "expected": expected,
            "totals": coverage.totals_table(version, general),
            "stances": Stance.choices,
            "review_open": services.review_gate(version)[0],
        },
    )


@team_required
@require_POST
def coverage_remind(request):
    version = VisionVersion.objects.open_for_review().first()
    allowed, message = services.review_gate(version)
    if not allowed:
        messages.error(request, message)
        return redirect("phases:coverage")
    services.reminders_enqueue(version=version, actor=request.user)
    messages.success(
        request,
        _(
            "Promemoria in invio ai sindaci dei comuni che non hanno ancora risposto (al massimo uno al giorno per sindaco)."
        ),
    )
    return redirect("phases:coverage")


# --- Open data ------------------------------------------------------------------------------------------------


@require_GET
def opendata_objectives(request):
    objectives = Objective.objects.in_tree_order().select_related("parent").prefetch_related("indicators")

    def rows():
        for o in objectives:
            indicators = "; ".join(
                f"{i.name} ({i.unit or '-'}): {i.baseline if i.baseline is not None else '-'} → "
                f"{i.target if i.target is not None else '-'} ({i.year or '-'})"
                for i in o.indicators.all()
            )
            yield [o.code, o.level, o.parent.code if o.parent else "", o.title, indicators]

    return csv_response("obiettivi.csv", ["code", "level", "parent_code", "title", "indicators"], rows())


@require_GET
def opendata_positions(request):
    # Positions of a review in progress are not published until the review is closed.
    positions = (
        Position.objects.exclude(version__status__in=[VisionStatus.DRAFT, VisionStatus.OPEN])
        .select_related("version", "objective", "municipality", "office")
        .only(
            "stance",
            "comment",
            "updated_at",
            "version__number",
            "objective__code",
            "municipality__istat_code",
            "municipality__name",
            "office__code",
            "office__name",
        )
        .order_by(
            "version__number",
            F("municipality_id").asc(nulls_last=True),
            "office_id",
            F("objective__sort_key").asc(nulls_first=True),
        )
    )

    def rows():
        for p in positions.iterator(chunk_size=2000):
            if p.municipality_id:
                kind, code, name = "comune", p.municipality.istat_code, p.municipality.name
            else:
                kind, code, name = "ufficio", p.office.code, p.office.name
            yield [
                p.version.number,
                kind,
                code,
                name,
                p.objective.code if p.objective_id else "VISIONE",
                p.stance,
                p.comment,
                timezone.localtime(p.updated_at).date().isoformat(),
            ]

    header = ["version", "subject_type", "subject_code", "subject_name", "objective_code", "stance", "comment", "date"]
    return csv_response("posizioni.csv", header, rows())
