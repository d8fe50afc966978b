from __future__ import annotations

import hashlib
import inspect
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from municipalities.models import Municipality
from phases.models import Phase
from plan import document as plan_document
from plan import services
from plan.document import RenderedPlan, canonical_json, render_plan_pdf, snapshot_hash
from plan.models import PlanDocument, PlanKind, PlanStatus
from plan.services import plan_publish, plan_render, plan_request, plan_snapshot
from plan.tasks import render_plan_document
from psm_portal.celery import app as celery_app
from psm_portal.lib.money import format_euro, format_number
from surveys.results import participation_map
from tests.plan import synthetic
from tests.plan.conftest import RENDER_PROGRESS, STUB_PAGES, outline_titles, pdf_text, stub_render_plan_pdf
from tests.plan.synthetic import VISION_TEXT

pytestmark = pytest.mark.django_db

CREATED = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)


def _nodes(nodes):
    for node in nodes:
        yield node
        yield from _nodes(node["children"])


def _objective_codes(nodes):
    for node in nodes:
        yield node["code"]
        yield from _objective_codes(node["children"])


def _render_ready(kind: str = "draft", user=None) -> PlanDocument:
    document, created = plan_request(kind=kind, user=user, enqueue=False)
    assert created
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY, document.error
    return document


def test_the_pdf_holds_every_part_of_the_plan(full_plan, media, team_user):
    document = _render_ready("draft", team_user)
    with default_storage.open(document.file.name, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert document.size == len(data)

    reader, pages = pdf_text(data)
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert document.pages == len(reader.pages) > 10
    # The Vision, every objective code and the phase names with their dates.
    assert " ".join(VISION_TEXT.split()[:8]) in flat
    for code in _objective_codes(document.snapshot["sections"]["objectives"]["items"]):
        assert code in text, code
    for phase in Phase.objects.all():
        assert str(phase.name) in flat
        assert timezone.localtime(phase.starts_at).strftime("%d/%m/%Y") in text
    # Every project under its specific objective, with CUP, cost and funding.
    projects = [p for node in _nodes(document.snapshot["sections"]["objectives"]["items"]) for p in node["projects"]]
    assert len(projects) == 40
    for project in projects:
        assert project["title"] in flat and f"CUP {project['cup']}" in flat
        assert format_euro(project["cost"]) in flat
    # The 108 municipalities of the annex.
    for name in Municipality.objects.values_list("name", flat=True):
        assert " ".join(name.split()) in flat, name
    # Charts and maps: their titles and the SVG text (option labels, shares or average places).
    questions = document.snapshot["sections"]["questionnaire"]["questions"]
    assert [q["chart"] for q in questions] == ["bars", "likert", "ranking"]
    for question in questions:
        assert question["title"] in flat
    # The bars' labels and values are SVG text in the PDF (glyph runs may be split: compare without spaces),
    # and the table under each chart has the counts.
    dense = "".join(text.split())
    for question in questions:
        for row in question["rows"]:
            value = row["extra"] if question["chart"] == "ranking" else f"{format_number(row['percent'], 1)}%"
            assert "".join(row["label"].split()) in dense
            assert value in dense
            assert f"{format_number(row['count'])}{format_number(row['percent'], 1)}%" in dense
    assert flat.count("I numeri del grafico") == 3
    assert "Partecipazione al questionario per comune" in flat
    assert "Progetti del piano per comune" in flat
    # Running header, page numbers, and the table of contents with page numbers.
    assert "Proposta preliminare di piano · versione 1" in pages[3]
    assert f"Pagina 4 di {len(pages)}" in pages[3]
    toc = pages[1]
    assert "Indice" in toc and "Allegato: i 108 comuni" in toc
    entries = dict(re.findall(r"^(.+?) \.{3,} (\d+)$", toc, flags=re.MULTILINE))
    vision_page = next(i for i, page in enumerate(pages, start=1) if "Versione 3 della Visione" in page)
    annex_page = next(i for i, page in enumerate(pages, start=1) if "Per ogni comune: popolazione" in page)
    assert entries["La Visione"] == str(vision_page)
    assert entries["Allegato: i 108 comuni"] == str(annex_page)
    # Bookmarks (the PDF outline) and the document metadata.
    titles = outline_titles(reader)
    for title in ["Indice", "La Visione", "Obiettivi e indicatori", "I risultati del questionario", "Lipari"]:
        assert title in titles
    metadata = reader.metadata
    assert metadata.title == "Piano Strategico Metropolitano di Messina — Proposta preliminare di piano v1"
    assert metadata.author == "Città Metropolitana di Messina"
    assert "piano strategico" in metadata["/Keywords"]
    assert metadata.creation_date.replace(tzinfo=UTC) == document.requested_at.astimezone(UTC).replace(tzinfo=UTC)
    # The final plan's council and agenda sections are absent from the draft.
    assert "Approvazione del Consiglio metropolitano" not in text


def test_sections_without_a_provider_are_marked_not_yet_available(media):
    document = _render_ready("final")
    with default_storage.open(document.file.name, "rb") as handle:
        reader, pages = pdf_text(handle.read())
    text = " ".join("\n".join(pages).split())
    assert document.snapshot["sections"]["vision"] == {
        "available": False,
        "note": "Questa parte del piano non è ancora disponibile nel portale.",
    }
    assert text.count("SEZIONE NON ANCORA DISPONIBILE") >= 6  # vision, objectives, projects, questionnaire, maps, ...
    assert "Approvazione del Consiglio metropolitano" in text
    assert "Agenda annuale delle azioni" in text
    # What exists is there: the phases and the 108 comuni with their population.
    assert "Ascolto e Schema generale" in text
    assert "Santa Teresa di Riva" in text
    assert "Piano finale · versione 1" in text


def test_two_renders_of_identical_data_give_the_same_bytes(full_plan, media):
    snapshot = plan_snapshot(kind="final")
    reported: list[int] = []
    first = render_plan_pdf(snapshot, kind="final", version=2, created=CREATED, progress=reported.append)
    second = render_plan_pdf(snapshot, kind="final", version=2, created=CREATED)
    assert first.pdf == second.pdf
    assert first.sha256 == second.sha256
    assert reported == list(RENDER_PROGRESS)  # as the stub renderer of the lifecycle tests reports


def test_a_document_rendered_again_after_its_worker_died_gives_the_file_already_stored(full_plan, media, stub_renderer):
    """The service renders again from the frozen snapshot and the request's date: the stub, like WeasyPrint
    (previous test), gives the same bytes for the same inputs, and the file is not stored twice."""
    document = _render_ready("draft")
    PlanDocument.objects.filter(pk=document.pk).update(status=PlanStatus.RENDERING)
    again = plan_render(document_id=document.pk)
    assert len(stub_renderer) == 2  # laid out again, not skipped
    assert again.sha256 == document.sha256
    assert again.file.name == document.file.name
    assert len(list((media / "piano").iterdir())) == 1


def test_the_stub_renderer_stands_for_the_real_one():
    """The lifecycle tests lay out their PDFs with ``stub_render_plan_pdf``: it takes what the real one takes,
    reports the same progress and returns the same type, with a real PDF that depends on the same inputs."""

    def parameters(function):
        return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]

    assert parameters(stub_render_plan_pdf) == parameters(render_plan_pdf)
    snapshot = {"kind": "draft", "sections": {"plan": {"available": True}}}
    reported: list[int] = []
    result = stub_render_plan_pdf(snapshot, kind="draft", version=1, created=CREATED, progress=reported.append)
    assert isinstance(result, RenderedPlan) and reported == list(RENDER_PROGRESS)
    reader, _pages = pdf_text(result.pdf)
    assert len(reader.pages) == result.pages == STUB_PAGES
    assert result.sha256 == hashlib.sha256(result.pdf).hexdigest()
    assert stub_render_plan_pdf(snapshot, kind="draft", version=1, created=CREATED).pdf == result.pdf
    assert stub_render_plan_pdf(snapshot, kind="draft", version=2, created=CREATED).sha256 != result.sha256
    other = {"kind": "draft", "sections": {}}
    assert stub_render_plan_pdf(other, kind="draft", version=1, created=CREATED).sha256 != result.sha256


def test_the_stubbed_render_reports_progress_and_stores_the_pdf(stub_renderer, media):
    document = _render_ready("draft")
    assert [call["progress"] for call in stub_renderer] == [list(RENDER_PROGRESS)]
    assert (stub_renderer[0]["kind"], stub_renderer[0]["version"]) == ("draft", 1)
    assert stub_renderer[0]["created"] == document.requested_at
    data = (media / document.file.name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == document.sha256 and document.size == len(data)
    assert document.pages == STUB_PAGES and document.progress == 100


@pytest.mark.usefixtures("stub_renderer")
def test_a_request_over_identical_data_returns_the_existing_document(media, team_user, monkeypatch):
    # The request compares fingerprints only: it never builds the snapshot.
    def no_snapshot(kind):
        raise AssertionError("the web request built the snapshot")

    with monkeypatch.context() as patch:  # undone alone: the stub renderer stays
        patch.setattr(services, "collect", no_snapshot)
        first, created = plan_request(kind="draft", user=team_user, enqueue=False)
        again, created_again = plan_request(kind="draft", user=team_user, enqueue=False)
    assert created and not created_again
    assert again.pk == first.pk
    assert first.snapshot is None and first.content_hash == "" and len(first.data_fingerprint) == 64
    # The worker freezes what it renders.
    first = plan_render(document_id=first.pk)
    assert first.status == PlanStatus.READY
    assert first.content_hash == snapshot_hash(first.snapshot)
    assert plan_request(kind="draft", enqueue=False) == (first, False)
    # The final plan is another series; changed data is a new version, the old one untouched.
    final, _ = plan_request(kind="final", enqueue=False)
    assert (final.kind, final.version) == (PlanKind.FINAL, 1)
    Phase.objects.filter(key="agenda").update(description="Tavoli di lavoro rinnovati.")
    second, created = plan_request(kind="draft", enqueue=False)
    assert created and second.version == 2
    first.refresh_from_db()
    assert "Tavoli di lavoro rinnovati." not in str(first.snapshot)
    second = plan_render(document_id=second.pk)
    assert "Tavoli di lavoro rinnovati." in str(second.snapshot)


@pytest.mark.usefixtures("stub_renderer")
def test_a_change_that_does_not_reach_the_document_renders_nothing_new(media, team_user):
    """A project saved again changes the fingerprint (its ``updated_at``) but not the content."""
    from projects.factories import ProjectFactory

    project = ProjectFactory(title="Porto di Tremestieri")
    first = _render_ready("draft", team_user)
    project.save()
    second, created = plan_request(kind="draft", enqueue=False)
    assert created and second.data_fingerprint != first.data_fingerprint
    second = plan_render(document_id=second.pk)
    assert second.status == PlanStatus.SAME and second.same_as == first
    assert not second.file and second.snapshot is None
    assert len(list((media / "piano").iterdir())) == 1
    # Asking again over the same data returns the first document.
    assert plan_request(kind="draft", enqueue=False) == (first, False)
    assert PlanDocument.objects.count() == 2


def test_a_redelivered_job_renders_the_snapshot_frozen_first(media):
    document, _ = plan_request(kind="draft", enqueue=False)
    # The first worker froze the data and died; the data changed before the job came back.
    PlanDocument.objects.filter(pk=document.pk).update(
        snapshot=plan_snapshot(kind="draft"), content_hash=snapshot_hash(plan_snapshot(kind="draft"))
    )
    Phase.objects.filter(key="agenda").update(description="Scritto dopo il primo tentativo.")
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY
    assert "Scritto dopo il primo tentativo." not in str(document.snapshot)
    _reader, pages = pdf_text(default_storage.open(document.file.name, "rb").read())
    assert "Scritto dopo il primo tentativo." not in " ".join(" ".join(pages).split())


def test_a_failing_template_leaves_a_failed_document_with_its_message(media, settings, tmp_path, monkeypatch):
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "broken_plan.html").write_text("{% load i18n %}<h1>{% if %}</h1>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [broken, *settings.TEMPLATES[0]["DIRS"]]}]
    monkeypatch.setattr(plan_document, "TEMPLATE", "broken_plan.html")
    document, _ = plan_request(kind="draft", enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.FAILED
    assert document.error.startswith("Il modello del documento contiene un errore:")
    assert "if" in document.error
    assert not document.file and not document.sha256
    assert not (media / "piano").exists()
    # A failed document is not reused: asking again makes a new version.
    monkeypatch.setattr(plan_document, "TEMPLATE", "plan/pdf/document.html")
    retry, created = plan_request(kind="draft", enqueue=False)
    assert created and retry.version == 2


def test_data_that_cannot_be_printed_fails_with_a_clear_message(media, settings, full_plan, monkeypatch):
    def bad_objectives(kind):
        return {"items": [{"code": "A1", "level": 3, "title": "x", "children": [], "projects": [{"cost": "tanti"}]}]}

    monkeypatch.setattr("tests.plan.synthetic.objectives", bad_objectives)
    document, _ = plan_request(kind="draft", enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.FAILED
    assert document.error == "Importo non valido nei dati del piano: tanti"


@pytest.mark.usefixtures("stub_renderer")
def test_a_ready_document_is_never_rendered_again(media, monkeypatch):
    document = _render_ready("draft")
    monkeypatch.setattr(services, "render_plan_pdf", lambda *a, **k: pytest.fail("rendered twice"))
    assert plan_render(document_id=document.pk).finished_at == document.finished_at
    render_plan_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert document.status == PlanStatus.READY and document.attempts == 1


@pytest.mark.usefixtures("stub_renderer")
def test_a_worker_that_lost_its_claim_cannot_finish(media):
    document, _ = plan_request(kind="draft", enqueue=False)
    original = services.render_plan_pdf

    def render_while_another_worker_claims(*args, **kwargs):
        result = original(*args, **kwargs)
        # Meanwhile the task was redelivered and another worker claimed the document.
        PlanDocument.objects.filter(pk=document.pk).update(claim="another-worker")
        return result

    services.render_plan_pdf = render_while_another_worker_claims
    try:
        plan_render(document_id=document.pk)
    finally:
        services.render_plan_pdf = original
    document.refresh_from_db()
    assert document.status == PlanStatus.RENDERING  # left to the worker holding the claim
    finished = plan_render(document_id=document.pk)
    assert finished.status == PlanStatus.READY and finished.attempts == 2
    assert len(list((media / "piano").iterdir())) == 1


@pytest.mark.usefixtures("stub_renderer")
def test_transient_failures_are_retried(media, monkeypatch):
    document, _ = plan_request(kind="draft", enqueue=False)
    calls = []
    original = services.plan_render

    def flaky(*, document_id):
        calls.append(document_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return original(document_id=document_id)

    monkeypatch.setattr("plan.tasks.plan_render", flaky)
    render_plan_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert len(calls) == 2
    assert document.status == PlanStatus.READY


def test_after_the_last_retry_the_failure_is_recorded(media, monkeypatch):
    document, _ = plan_request(kind="draft", enqueue=False)

    def down(*, document_id):
        PlanDocument.objects.filter(pk=document_id).update(status=PlanStatus.RENDERING)
        raise OperationalError("database unavailable")

    monkeypatch.setattr("plan.tasks.plan_render", down)
    render_plan_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert document.status == PlanStatus.FAILED
    assert document.error == "Il servizio non era raggiungibile dopo 4 tentativi: database unavailable"


@pytest.mark.usefixtures("stub_renderer")
def test_with_no_broker_the_request_renders_in_process(media, django_capture_on_commit_callbacks):
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # the embedded default, whatever this test run's environment
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            document, created = plan_request(kind="draft")
    finally:
        celery_app.conf.task_always_eager = previous
    assert created and len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == PlanStatus.READY and document.progress == 100


@pytest.mark.usefixtures("stub_renderer")
def test_render_plan_command_prints_path_and_sha(media, capsys):
    call_command("render_plan", "--kind", "draft", "--publish")
    out = capsys.readouterr().out
    document = PlanDocument.objects.get()
    assert document.is_published and document.kind == PlanKind.DRAFT
    path = media / document.file.name
    assert f"Percorso: {path}" in out
    assert f"SHA-256: {hashlib.sha256(path.read_bytes()).hexdigest()}" in out
    # Again over the same data: the same document, not a new version.
    call_command("render_plan", "--kind", "draft")
    assert "stessi dati, versione esistente" in capsys.readouterr().out
    assert PlanDocument.objects.count() == 1


@pytest.mark.usefixtures("stub_renderer")
def test_the_final_plan_is_never_published_without_the_council(media, capsys):
    with pytest.raises(CommandError, match="solo con la delibera del Consiglio metropolitano"):
        call_command("render_plan", "--kind", "final", "--publish")
    document = PlanDocument.objects.get()
    assert document.kind == PlanKind.FINAL and document.is_ready and not document.is_published


def test_only_a_ready_document_can_be_published(media, team_user):
    document, _ = plan_request(kind="draft", enqueue=False)
    with pytest.raises(ValidationError, match="Si può pubblicare solo un documento pronto."):
        plan_publish(document=document, user=team_user)


def test_the_annex_tells_not_yet_available_from_none(settings):
    settings.PSM_PLAN_PROVIDERS = {"questionnaire": "tests.plan.synthetic.questionnaire"}
    snapshot = plan_snapshot(kind="draft")
    snapshot["sections"]["questionnaire"]["by_municipality"].pop("083048")
    context = plan_document.build_context(snapshot, kind="draft", version=1, created=CREATED)
    messina = next(m for m in context["annex"] if m["istat_code"] == "083048")
    assert messina["responses"] == 0  # the questionnaire exists, nobody from Messina answered
    assert messina["needs"] is None  # the istanze are not in the portal yet
    assert snapshot["sections"]["needs"] == {
        "available": False,
        "note": "Questa parte del piano non è ancora disponibile nel portale.",
    }


def test_the_participation_map_is_in_responses_per_1000_inhabitants(settings):
    settings.PSM_PLAN_PROVIDERS = {"questionnaire": "tests.plan.synthetic.questionnaire"}
    snapshot = plan_snapshot(kind="draft")
    counts = snapshot["sections"]["questionnaire"]["by_municipality"]
    population = {m["istat_code"]: m["population"] for m in snapshot["sections"]["municipalities"]["items"]}
    context = plan_document.build_context(snapshot, kind="draft", version=1, created=CREATED)
    html = str(context["maps"]["participation"])
    rates = {code: 1000 * counts[code] / population[code] for code in counts if counts[code]}
    assert f"Messina: {format_number(rates['083048'], 2)} risposte ogni 1.000 abitanti" in html
    # The results page's map: the same classes and legend over the same rates, without links.
    web = participation_map(rates)
    assert len(web.legend) > 2 and web.legend[0].label == "nessuna risposta"
    for item in web.legend[1:]:
        assert item.label.endswith("risposte ogni 1.000 abitanti")
    for item in web.legend:
        assert item.label in html
    assert 'fill="' + web.fills["083048"] + '" class="psm-map-shape" data-istat="083048"' in html
    assert "href=" not in html
    messina = next(m for m in context["annex"] if m["istat_code"] == "083048")
    assert messina["rate"] == pytest.approx(rates["083048"])


def test_the_synthetic_questionnaire_is_deterministic_and_charts_every_kind(settings):
    settings.PSM_PLAN_SYNTHETIC = {"questions": 8}
    first, second = synthetic.questionnaire("draft"), synthetic.questionnaire("draft")
    assert canonical_json(first) == canonical_json(second)
    assert [q["chart"] for q in first["questions"]] == ["bars", "likert", "ranking", "number"] * 2
    assert first["questions"][2]["rows"][0]["width"] == 820.0  # the highest place has the longest bar


def test_a_provider_may_report_its_section_unavailable(settings):
    settings.PSM_PLAN_PROVIDERS = {"vision": "tests.plan.test_documents.vision_not_approved"}
    assert plan_snapshot(kind="final")["sections"]["vision"] == {
        "available": False,
        "note": "La Visione è in revisione.",
    }


def vision_not_approved(kind: str) -> dict:
    return {"available": False, "note": "La Visione è in revisione."}


@pytest.mark.usefixtures("stub_renderer")
def test_a_storage_that_refuses_the_pdf_fails_the_document_with_a_message(media, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def refuse(self, name, content):
        raise PermissionError(13, "Permission denied", name)

    with monkeypatch.context() as patch:  # undone alone: the stub renderer stays
        patch.setattr(FileSystemStorage, "_save", refuse)
        document, _ = plan_request(kind="draft", enqueue=False)
        document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.FAILED  # not left «rendering» for ever
    assert document.error.startswith("Il PDF è stato impaginato ma non si può salvare: PermissionError")
    assert document.finished_at is not None and not document.file
    # Failed documents are not reused: asking again makes a new version.
    assert plan_request(kind="draft", enqueue=False)[1]


@pytest.mark.usefixtures("stub_renderer")
def test_a_transient_storage_error_is_left_to_the_retry(media, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def away(self, name, content):
        raise TimeoutError("storage timed out")

    monkeypatch.setattr(FileSystemStorage, "_save", away)
    document, _ = plan_request(kind="draft", enqueue=False)
    with pytest.raises(TimeoutError):
        plan_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == PlanStatus.RENDERING and document.error == ""


@pytest.mark.usefixtures("stub_renderer")
@pytest.mark.parametrize("status, stamp", [(PlanStatus.QUEUED, "requested_at"), (PlanStatus.RENDERING, "started_at")])
def test_a_stuck_document_is_enqueued_again_by_the_next_request(
    status, stamp, media, settings, django_capture_on_commit_callbacks
):
    settings.PSM_PLAN_STALE_SECONDS = 600
    document, _ = plan_request(kind="draft", enqueue=False)
    started = timezone.now() if status == PlanStatus.RENDERING else None
    PlanDocument.objects.filter(pk=document.pk).update(status=status, started_at=started)
    # Recently touched by a worker, or just queued: asking again only returns it.
    with django_capture_on_commit_callbacks() as callbacks:
        assert plan_request(kind="draft") == (document, False)
    assert callbacks == []
    # Untouched for longer than the stale limit: its message was lost, so it is sent again.
    long_ago = timezone.now() - timedelta(seconds=601)
    PlanDocument.objects.filter(pk=document.pk).update(**{stamp: long_ago})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again, created = plan_request(kind="draft")
    assert (again, created) == (document, False) and len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == PlanStatus.READY  # the in-process render took it over
    assert PlanDocument.objects.count() == 1


@pytest.mark.usefixtures("stub_renderer")
def test_a_request_over_unchanged_data_never_loads_a_snapshot(media):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    document = _render_ready("draft")
    with CaptureQueriesContext(connection) as queries:
        assert plan_request(kind="draft", enqueue=False) == (document, False)
    assert not [q["sql"] for q in queries.captured_queries if '"snapshot"' in q["sql"]]


def test_the_maps_are_drawn_from_the_frozen_snapshot_not_the_live_table(settings, django_assert_num_queries):
    settings.PSM_PLAN_PROVIDERS = {"questionnaire": "tests.plan.synthetic.questionnaire"}
    snapshot = plan_snapshot(kind="draft")
    items = {m["istat_code"]: m for m in snapshot["sections"]["municipalities"]["items"]}
    assert items["083048"]["svg_path"] == Municipality.objects.get(pk="083048").svg_path
    items["083048"]["svg_path"] = "M1 1L2 2L1 2Z"
    Municipality.objects.filter(pk="083041").update(svg_path="M9 9L8 8Z")  # after the freeze
    with django_assert_num_queries(0):
        context = plan_document.build_context(snapshot, kind="draft", version=1, created=CREATED)
    for key in ("projects", "participation"):
        html = str(context["maps"][key])
        assert html.count("<path ") == 108
        assert 'd="M1 1L2 2L1 2Z"' in html and "M9 9L8 8Z" not in html
        assert f'd="{items["083041"]["svg_path"]}"' in html


def test_the_content_hash_covers_the_map_shapes():
    before = snapshot_hash(plan_snapshot(kind="draft"))
    Municipality.objects.filter(pk="083041").update(svg_path="M9 9L8 8Z")
    assert snapshot_hash(plan_snapshot(kind="draft")) != before


@pytest.mark.usefixtures("stub_renderer")
def test_the_fingerprint_is_taken_again_when_the_data_are_frozen(media):
    from plan.sections import fingerprint

    document, _ = plan_request(kind="draft", enqueue=False)
    Phase.objects.filter(key="agenda").update(description="Cambiata prima che il worker arrivasse.")
    document = plan_render(document_id=document.pk)
    assert "Cambiata prima che il worker arrivasse." in str(document.snapshot)
    assert document.data_fingerprint == fingerprint("draft")
    # A request over the data the document holds gets it, rather than a new version.
    assert plan_request(kind="draft", enqueue=False) == (document, False)
    assert PlanDocument.objects.count() == 1


@pytest.mark.usefixtures("stub_renderer")
def test_a_document_frozen_over_the_data_of_another_live_request_becomes_its_twin(media):
    agenda = Phase.objects.filter(key="agenda")
    description = agenda.get().description
    first, _ = plan_request(kind="draft", enqueue=False)  # queued, not frozen yet
    agenda.update(description="Per un momento.")
    second, created = plan_request(kind="draft", enqueue=False)
    assert created
    agenda.update(description=description)  # back to the data the first one was asked for
    second = plan_render(document_id=second.pk)
    assert second.status == PlanStatus.SAME and second.same_as == first
    assert second.snapshot is None and not second.file
    first = plan_render(document_id=first.pk)
    assert first.status == PlanStatus.READY
    assert plan_request(kind="draft", enqueue=False) == (first, False)


@pytest.mark.usefixtures("stub_renderer")
@pytest.mark.parametrize("clashes, status", [(1, PlanStatus.READY), (99, PlanStatus.FAILED)])
def test_a_clash_with_no_twin_freezes_again_or_fails_cleanly(clashes, status, media, monkeypatch):
    from django.db import IntegrityError
    from django.db.models.query import QuerySet

    document, _ = plan_request(kind="draft", enqueue=False)
    original, seen = QuerySet.update, []

    def clash(self, **kwargs):
        if "snapshot" in kwargs and len(seen) < clashes:
            seen.append(kwargs)
            raise IntegrityError("UNIQUE constraint failed: plandocument_unique_live_data")
        return original(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", clash)
    document = plan_render(document_id=document.pk)
    assert document.status == status
    if status == PlanStatus.READY:
        assert document.snapshot and document.content_hash == snapshot_hash(document.snapshot)
    else:  # never rendered without a stored snapshot
        assert document.snapshot is None and not document.file and not (media / "piano").exists()
        assert document.error.startswith("I dati del documento non si possono fissare")


def test_the_synthetic_plan_lives_with_the_tests_and_is_made_afresh():
    from importlib.util import find_spec

    assert find_spec("plan.synthetic") is None  # the portal never ships or uses it
    names = ["Lipari", "Messina", "Milazzo"]
    first = synthetic.objective_tree(16, 40, names)
    first[0]["title"] = "Modificato da un chiamante"
    assert synthetic.objective_tree(16, 40, names)[0]["title"] == "Territorio connesso"
