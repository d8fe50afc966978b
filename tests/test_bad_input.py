"""The bad-input corpus: hostile or broken requests to every form, upload, filter and id of the portal, each sent
by the member of the cast who can reach that page.

Each case asserts that the portal never answers 500, that it answers with the right 4xx or with a clear Italian
message, and that nothing is half-saved: the rows of the models involved are counted before and after.
Oversized bodies, invalid UTF-8, NUL bytes (PostgreSQL refuses them in a query with a 500, so no query may
carry one, checked on SQLite too), truncated multipart bodies,
zip and sheet bombs, forged ids, missing CSRF tokens, huge query strings, bad numbers and dates, path
traversal in file names and unknown enum values. Run it on PostgreSQL too (``DATABASE_URL``): some of these
reach the database, and only PostgreSQL refuses a NUL byte there.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Municipality
from phases.factories import NeedFactory, ObjectiveFactory, PositionFactory, VisionVersionFactory
from phases.models import NeedAttachment, Phase
from phases.phases import PhaseKey
from plan.models import PlanKind
from projects.factories import ProjectFactory, ProposalFactory
from projects.models import ImportState, ProjectImport, Publication
from surveys.factories import every_kind_questionnaire
from surveys.models import Kind
from tests import bombs
from tests.files import PDF_BYTES, odt, pdf
from tests.plan.conftest import make_document
from tests.projects.conftest import csv_bytes, good_row
from tests.surveys.conftest import MESSINA, Q

pytestmark = pytest.mark.django_db

# --- The world every case runs in ----------------------------------------------------------------------


@pytest.fixture
def world(
    messina,
    lipari,
    office_a,
    office_b,
    team_user,
    office_a_user,
    office_b_user,
    mayor_a,
    mayor_b,
    council_user,
    stakeholder_user,
):
    """One of everything a case may point at: objectives, a Vision version open for positions, a position and an
    istanza with documents, projects and an import of each office, a proposal, a published questionnaire with
    public results, a published preliminary plan. The listening phase runs now."""
    now = timezone.now()
    for key, start, end in (
        (PhaseKey.LISTENING, -10, 80),
        (PhaseKey.AGENDA, 80, 170),
        (PhaseKey.FINAL, 170, 260),
    ):
        Phase.objects.filter(key=key).update(starts_at=now + timedelta(days=start), ends_at=now + timedelta(days=end))
    axis = ObjectiveFactory(code="A", order=1, title="Connessioni")
    a1 = ObjectiveFactory(code="A1", parent=axis, order=1, title="Collegare le aree interne")
    ObjectiveFactory(code="A1.1", parent=a1, order=1, title="Viabilità provinciale")
    version = VisionVersionFactory(number=1, open_for_review=True)
    position = PositionFactory(version=version, municipality=messina, objective=a1, author=mayor_a)
    position.attachment.save("documento.pdf", ContentFile(PDF_BYTES))
    position.attachment_name = "relazione.pdf"
    position.save()
    need = NeedFactory(municipality=messina, author=mayor_a)
    attachment = NeedAttachment(need=need, name="nota.pdf", size=len(PDF_BYTES))
    attachment.file.save("documento.pdf", ContentFile(PDF_BYTES))
    draft_b = ProjectFactory(office=office_b, publication=Publication.DRAFT, title="Bozza dell'ufficio B")
    published_a = ProjectFactory(office=office_a, title="Strada provinciale 1")
    batch_a = ProjectImport.objects.create(
        office=office_a, uploaded_by=office_a_user, original_name="progetti.csv", state=ImportState.INVALID
    )
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    survey = every_kind_questionnaire(slug="mobilita", title="Mobilità e futuro")
    survey.set_results_published(True)
    other_survey = every_kind_questionnaire(slug="altro", title="Un altro questionario")
    plan = make_document(kind=PlanKind.DRAFT, published=True)
    return SimpleNamespace(
        version=version,
        position=position,
        need=need,
        attachment=attachment,
        draft_b=draft_b,
        published_a=published_a,
        batch_a=batch_a,
        proposal=proposal,
        survey=survey,
        q=Q(survey),
        other_section=other_survey.sections.first(),
        plan=plan,
        a1=a1,
    )


# --- Request bodies ------------------------------------------------------------------------------------

BOUNDARY = "----corpus"


def multipart(fields: dict | None = None, files: dict | None = None, *, cut: int | None = None) -> bytes:
    """A multipart/form-data body (``files``: name → (file name, bytes)); ``cut`` bytes dropped from its end."""
    out = io.BytesIO()
    for name, value in (fields or {}).items():
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value if isinstance(value, bytes) else str(value).encode())
        out.write(b"\r\n")
    for name, (filename, content) in (files or {}).items():
        encoded = filename if isinstance(filename, bytes) else filename.encode()
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode())
        out.write(encoded + b'"\r\nContent-Type: application/octet-stream\r\n\r\n')
        out.write(content)
        out.write(b"\r\n")
    out.write(f"--{BOUNDARY}--\r\n".encode())
    body = out.getvalue()
    return body[:-cut] if cut else body


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
# A PDF of 20 KB whose end marker is only at its end (cut short, it is incomplete).
LONG_PDF = b"%PDF-1.7\n" + bytes(range(32, 127)) * 200 + b"\ntrailer<<>>\n%%EOF\n"


def need(**extra) -> dict:
    return {"title": "Strada franata", "description": "Serve un intervento urgente.", "theme": "mobility", **extra}


def position(w, target: str = "A1", **extra) -> dict:
    data = {f"t-{target}-version": w.version.pk, f"t-{target}-stance": "agree", f"t-{target}-comment": ""}
    data.update({f"t-{target}-{key}": value for key, value in extra.items()})
    return data


def position_url(w, target: str = "A1") -> str:
    return reverse("phases:position_save", args=["comune", MESSINA, target])


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def project(**extra) -> dict:
    return {"title": "Nuova strada", "status": "funded", "publication": "draft", **extra}


def start_questionnaire(client, w) -> None:
    client.post(reverse("surveys:start", args=[w.survey.slug]), {"privacy": "on"})


def section_one(w, **overrides) -> dict:
    q = w.q
    data = {
        f"q{q(Kind.MUNICIPALITY).pk}": MESSINA,
        f"q{q(Kind.AGE_BAND).pk}": str(q.opt(q(Kind.AGE_BAND), "25–34")),
        f"q{q(Kind.YES_NO).pk}": str(q.opt(q(Kind.YES_NO), "Sì")),
        f"q{q(Kind.NUMBER).pk}": "45",
    }
    data.update(overrides)
    return data


# --- The cases -----------------------------------------------------------------------------------------

POSITIONS = ("phases.Position",)
NEEDS = ("phases.Need", "phases.NeedAttachment")
PROJECTS = ("projects.Project", "projects.FundingLine", "projects.ProjectChange")
IMPORTS = ("projects.ProjectImport", *PROJECTS)
RESPONSES = ("surveys.Response", "surveys.Answer")
AUDIT = ("audit.AuditEvent",)


@dataclass(frozen=True)
class Case:
    who: str  # a member of the cast (tests/conftest.py)
    method: str  # get, post, or raw (a POST of ``body`` with ``content_type``)
    url: Callable
    data: Callable | dict | bytes | None = None
    statuses: tuple[int, ...] = (200,)
    says: str = ""  # Italian text on the page reached (redirects followed)
    unchanged: tuple[str, ...] = ()  # models whose rows must not change
    phase: str = "listening"
    csrf: bool = False  # a client that enforces CSRF checks, and sends no token
    content_type: str = MULTIPART
    before: Callable | None = None  # (client, world) run first, e.g. to start a questionnaire
    after: Callable | None = None  # (client, world) further checks
    settings: dict = field(default_factory=dict)


def _page(path: str) -> Callable:
    return lambda w: path


CASES: dict[str, Case] = {
    # --- Oversized bodies
    "login body over DATA_UPLOAD_MAX_MEMORY_SIZE": Case(
        "anonymous",
        "post",
        lambda w: reverse("accounts:login"),
        {"username": "a@b.it", "password": "x" * 5000},
        statuses=(400,),
        settings={"DATA_UPLOAD_MAX_MEMORY_SIZE": 2048},
    ),
    "need with 2,000 fields": Case(
        "mayor_a",
        "post",
        lambda w: reverse("phases:need_create"),
        {**need(), **{f"campo{n}": "x" for n in range(2000)}},
        statuses=(400,),
        unchanged=NEEDS,
    ),
    "need with 150 files": Case(
        "mayor_a",
        "raw",
        lambda w: reverse("phases:need_create"),
        lambda w: multipart(need(), {f"f{n}": (f"{n}.pdf", PDF_BYTES) for n in range(150)}),
        statuses=(400,),
        unchanged=NEEDS,
    ),
    "position document over 10 MB": Case(
        "mayor_a",
        "post",
        position_url,
        lambda w: position(w, attachment=upload("grande.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))),
        statuses=(302,),
        says="supera i 10 MB",
        unchanged=POSITIONS,
    ),
    "import over the byte limit": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"file": upload("grande.csv", csv_bytes([good_row(n) for n in range(1, 3000)]))},
        says="il limite è",
        unchanged=IMPORTS,
        settings={"PROJECTS_IMPORT_MAX_BYTES": 100 * 1024},
    ),
    "questionnaire answer of a megabyte": Case(
        "anonymous",
        "post",
        lambda w: reverse("surveys:section", args=[w.survey.slug, 1]),
        lambda w: section_one(w, **{f"q{w.q(Kind.NUMBER).pk}": "9" * 1_000_000}),
        says="numero",
        unchanged=RESPONSES,
        before=start_questionnaire,
    ),
    "plan comment of 100,000 characters": Case(
        "mayor_a",
        "post",
        lambda w: reverse("plan:discussion"),
        {"section": "vision", "body": "lungo " * 20_000},
        statuses=(400,),
        says="non contenga più di 4000 caratteri",
        unchanged=("plan.PlanComment",),
        phase="agenda",
    ),
    "vision draft text of 2 MB": Case(
        "team_user",
        "post",
        lambda w: reverse("phases:version_create"),
        {"title": "Nuova", "text": "x" * 2_000_000},
        statuses=(200, 302, 400),
        settings={"DATA_UPLOAD_MAX_MEMORY_SIZE": 1024 * 1024},
    ),
    # --- Invalid UTF-8
    "invalid UTF-8 in a search": Case("anonymous", "get", _page("/comuni/?q=%FF%FEMess%C3"), statuses=(200,)),
    "invalid UTF-8 in the path": Case("anonymous", "get", _page("/visione/obiettivi/%FF/"), statuses=(404,)),
    "invalid UTF-8 in a login form": Case(
        "anonymous",
        "raw",
        lambda w: reverse("accounts:login"),
        b"username=%FF%FE%40x.it&password=\xff\xfe",
        content_type="application/x-www-form-urlencoded",
        statuses=(200,),
        says="password",
    ),
    "invalid UTF-8 in a need's title": Case(
        "mayor_a",
        "raw",
        lambda w: reverse("phases:need_create"),
        lambda w: multipart({"title": b"Strada \xff\xfe franata", "description": b"\xc3", "theme": "mobility"}),
        statuses=(200, 302),
    ),
    "invalid UTF-8 in a document's file name": Case(
        "mayor_a",
        "raw",
        position_url,
        lambda w: multipart(
            {"t-A1-version": w.version.pk, "t-A1-stance": "agree"}, {"t-A1-attachment": (b"rel\xff\xfe.pdf", PDF_BYTES)}
        ),
        statuses=(302,),
        after=lambda client, w: _download_name_is_clean(client, w),
    ),
    "a CSV in an unknown encoding": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"file": upload("progetti.csv", "CUP;Titolo\nB1;Strada\x81\x8d\n".encode("latin-1"))},
        statuses=(302,),
        unchanged=PROJECTS,
        after=lambda client, w: _import_refused(client, "La codifica del file non è riconosciuta"),
    ),
    # --- NUL bytes
    "NUL in the catalogue's filters": Case(
        "anonymous", "get", _page("/progetti/?q=a%00b&obiettivo=%00&stato=%00&ordina=%00&comune=%00"), statuses=(200,)
    ),
    "NUL in the portfolio's search and publication": Case(
        "office_a_user", "get", _page("/area-riservata/progetti/?q=Strada%00&pubblicazione=%00"), statuses=(200,)
    ),
    "NUL in the proposals' outcome filter": Case(
        "team_user", "get", _page("/area-riservata/proposte/?esito=%00"), statuses=(200,)
    ),
    "NUL in a new objective's parent": Case(
        "team_user", "get", _page("/area-riservata/visione/obiettivi/nuovo/?padre=A%00"), statuses=(200,)
    ),
    "NUL in the results' filters": Case(
        "anonymous", "get", lambda w: f"/questionario/{w.survey.slug}/risultati/?comune=%00&eta=%00", statuses=(200,)
    ),
    "NUL in the open results' filters (JSON)": Case(
        "anonymous", "get", lambda w: f"/opendata/questionario/{w.survey.slug}.json?comune=0830%0048", statuses=(200,)
    ),
    "NUL in the istanze filters": Case(
        "team_user", "get", _page("/area-riservata/istanze/ricevute/?q=%00&stato=%00&tema=%00"), statuses=(200,)
    ),
    "NUL in the users' filters": Case(
        "team_user", "get", _page("/area-riservata/utenti/?q=a%00&role=%00"), statuses=(200,)
    ),
    "NUL in a need's title": Case(
        "mayor_a",
        "post",
        lambda w: reverse("phases:need_create"),
        need(title="Strada\x00franata"),
        says="I caratteri null non sono ammessi",
        unchanged=NEEDS,
    ),
    "NUL in the login e-mail": Case(
        "anonymous", "post", lambda w: reverse("accounts:login"), {"username": "a\x00@b.it", "password": "x"}
    ),
    "NUL in a proposal": Case(
        "stakeholder_user",
        "post",
        lambda w: reverse("projects:proposal_create"),
        {"title": "Pista\x00", "description": "x\x00", "municipality": "\x00"},
        says="I caratteri null non sono ammessi",
        unchanged=("projects.Proposal",),
        phase="agenda",
    ),
    "NUL in a position's comment": Case(
        "mayor_a",
        "post",
        position_url,
        lambda w: position(w, comment="Bene\x00"),
        statuses=(302,),
        says="I caratteri null non sono ammessi",
        unchanged=POSITIONS,
    ),
    "NUL in a document's file name": Case(
        "mayor_a",
        "raw",
        position_url,
        lambda w: multipart(
            {"t-A1-version": w.version.pk, "t-A1-stance": "agree"}, {"t-A1-attachment": (b"a\x00b.pdf", PDF_BYTES)}
        ),
        statuses=(302,),
        after=lambda client, w: _download_name_is_clean(client, w),
    ),
    "NUL in a thread of the plan's discussion": Case(
        "team_user",
        "post",
        lambda w: reverse("plan:discussion_reply", args=["vision"]),
        {"thread": "\x00", "body": "Risposta", "pagina": "\x00"},
        statuses=(302,),
        unchanged=("plan.PlanComment",),
        phase="agenda",
    ),
    "NUL in an office's code in the address": Case(
        "office_a_user", "get", _page("/area-riservata/posizioni/ufficio/viab%00ilita/"), statuses=(404,)
    ),
    "NUL in a position's target in the address": Case(
        "mayor_a",
        "post",
        _page(f"/area-riservata/posizioni/comune/{MESSINA}/A1%00/"),
        lambda w: position(w, "A1\x00"),
        statuses=(404,),
        unchanged=POSITIONS,
    ),
    "NUL in an invitation's link": Case("anonymous", "get", _page("/accedi/invito/%00/%00/"), statuses=(200, 302, 404)),
    "NUL in a questionnaire's address": Case("anonymous", "get", _page("/questionario/%00/"), statuses=(404,)),
    "NUL in a page's slug": Case("team_user", "get", _page("/area-riservata/pagine/%00/modifica/"), statuses=(404,)),
    # --- Truncated or broken multipart
    "need with a multipart body cut inside its document": Case(
        "mayor_a",
        "raw",
        lambda w: reverse("phases:need_create"),
        lambda w: multipart(need(), {"attachment_1": ("nota.pdf", LONG_PDF)}, cut=400),
        statuses=(400,),
        says="Il modulo non è arrivato completo",
        unchanged=NEEDS,
    ),
    "need with a multipart body cut inside its fields": Case(
        "mayor_a",
        "raw",
        lambda w: reverse("phases:need_create"),
        lambda w: multipart(need(description="x" * 5000))[:300],
        statuses=(400,),
        says="Il modulo non è arrivato completo",
        unchanged=NEEDS,
    ),
    "import with a multipart body cut short": Case(
        "office_a_user",
        "raw",
        lambda w: reverse("projects:import"),
        lambda w: multipart({}, {"file": ("progetti.csv", csv_bytes([good_row(1)]) * 20)}, cut=200),
        statuses=(200, 400),
        unchanged=IMPORTS,
    ),
    "position with a multipart type and no boundary": Case(
        "mayor_a",
        "raw",
        position_url,
        lambda w: multipart(position(w)),
        content_type="multipart/form-data",
        statuses=(400,),
        unchanged=POSITIONS,
    ),
    "a document cut short inside a whole body": Case(
        "mayor_a",
        "post",
        lambda w: reverse("phases:need_create"),
        lambda w: need(attachment_1=upload("nota.pdf", LONG_PDF[:-300])),
        says="Il PDF è incompleto",
        unchanged=NEEDS,
    ),
    "position with another boundary than the body's": Case(
        "mayor_a",
        "raw",
        position_url,
        lambda w: multipart(position(w)),
        content_type="multipart/form-data; boundary=altro",
        statuses=(400,),
        unchanged=POSITIONS,
    ),
    "questionnaire section with a body that is not a form": Case(
        "anonymous",
        "raw",
        lambda w: reverse("surveys:section", args=[w.survey.slug, 1]),
        b"\x00\x01\x02{not a form",
        content_type="application/json",
        statuses=(200, 302),
        unchanged=RESPONSES,
        before=start_questionnaire,
    ),
    # --- Zip and sheet bombs
    "position document: ODT whose mimetype unpacks to 1 GiB": Case(
        "mayor_a",
        "post",
        position_url,
        lambda w: position(w, attachment=upload("bomba.odt", bombs.odt_bomb(1024))),
        statuses=(302,),
        says="decompresso, supererebbe",
        unchanged=POSITIONS,
    ),
    "need document: DOCX whose body unpacks to 1 GiB": Case(
        "mayor_a",
        "post",
        lambda w: reverse("phases:need_create"),
        lambda w: need(attachment_1=pdf(), attachment_2=upload("bomba.docx", bombs.docx_bomb(1024))),
        says="decompresso, supererebbe",
        unchanged=NEEDS,
    ),
    "need document: 10 MB ODT of 9 GiB": Case(
        "mayor_a",
        "post",
        lambda w: reverse("phases:need_create"),
        lambda w: need(attachment_3=upload("bomba.odt", bombs.odt_bomb(1024, extra_gib=8))),
        says="decompresso, supererebbe",
        unchanged=NEEDS,
    ),
    "need document: a zip of 70,000 entries": Case(
        "mayor_a",
        "post",
        lambda w: reverse("phases:need_create"),
        lambda w: need(attachment_1=upload("tanti.docx", bombs.many_entries_zip(70_000))),
        says="troppi elementi interni",
        unchanged=NEEDS,
    ),
    "import: workbook whose sheet unpacks to 1 GiB": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"file": upload("bomba.xlsx", bombs.xlsx_zip_bomb(1024))},
        says="decompresso, supererebbe",
        unchanged=IMPORTS,
    ),
    "import: workbook with cells at A1 and XFD1048576": Case(
        "team_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"office": w.published_a.office_id, "file": upload("bomba.xlsx", bombs.sheet_bomb("XFD1048576"))},
        statuses=(302,),
        unchanged=PROJECTS,
        after=lambda client, w: _import_refused(client, "oltre la colonna IV"),
    ),
    "import: CSV of three million empty lines": Case(
        "office_b_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"file": upload("vuote.csv", b"CUP;Titolo\r\n" + b"\r\n" * 3_000_000)},
        statuses=(302,),
        unchanged=PROJECTS,
        after=lambda client, w: _import_refused(client, "contando anche quelle vuote"),
    ),
    "import: CSV with data in column 300": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"file": upload("larga.csv", csv_bytes([good_row(1) + [""] * 300 + ["x"]]))},
        statuses=(302,),
        unchanged=PROJECTS,
        after=lambda client, w: _import_refused(client, "oltre la colonna IV"),
    ),
    # --- Forged ids
    "position document: an id that does not exist": Case(
        "mayor_a", "get", _page("/area-riservata/posizioni/allegati/999999/"), statuses=(404,)
    ),
    "position document of another comune": Case(
        "mayor_b", "get", lambda w: reverse("phases:position_attachment", args=[w.position.pk]), statuses=(404,)
    ),
    "istanza document of another comune": Case(
        "mayor_b", "get", lambda w: reverse("phases:need_attachment", args=[w.attachment.pk]), statuses=(404,)
    ),
    "istanza of another comune": Case(
        "mayor_b", "get", lambda w: reverse("phases:need_detail", args=[w.need.pk]), statuses=(404,)
    ),
    "project id beyond any integer": Case(
        "anonymous", "get", _page("/progetti/99999999999999999999999999/"), statuses=(404,)
    ),
    "vision version number beyond any integer": Case(
        "anonymous", "get", _page("/visione/versioni/99999999999999999999999999/"), statuses=(404,)
    ),
    "another office's draft": Case(
        "office_a_user", "get", lambda w: reverse("projects:edit", args=[w.draft_b.pk]), statuses=(404,)
    ),
    "publishing another office's project": Case(
        "office_b_user",
        "post",
        lambda w: reverse("projects:publish", args=[w.published_a.pk]),
        {"azione": "ritira"},
        statuses=(403,),
        unchanged=(*PROJECTS, *AUDIT),
    ),
    "another office's import": Case(
        "office_b_user", "get", lambda w: reverse("projects:import_detail", args=[w.batch_a.pk]), statuses=(404,)
    ),
    "confirming an import that does not exist": Case(
        "office_a_user",
        "post",
        _page("/area-riservata/progetti/importa/99999999999999999999/conferma/"),
        statuses=(404,),
        unchanged=IMPORTS,
    ),
    "another mayor's proposal": Case(
        "mayor_b", "get", lambda w: reverse("projects:proposal_detail", args=[w.proposal.pk]), statuses=(404,)
    ),
    "merging a proposal into a project that does not exist": Case(
        "team_user",
        "post",
        lambda w: reverse("projects:proposal_detail", args=[w.proposal.pk]),
        {"decision": "merge", "project": "999999999", "reason": "Doppione"},
        unchanged=("projects.Proposal", *PROJECTS, *AUDIT),
        after=lambda client, w: _proposal_still_open(w),
    ),
    "a need pointing at an objective that does not exist": Case(
        "mayor_a",
        "post",
        lambda w: reverse("phases:need_create"),
        need(objectives=["999999"]),
        says="non è tra quelle disponibili",
        unchanged=NEEDS,
    ),
    "a position for a forged version": Case(
        "mayor_a",
        "post",
        position_url,
        lambda w: {**position(w), "t-A1-version": "99999999999999999999999"},
        statuses=(302,),
        says="Posizione non salvata",
        unchanged=POSITIONS,
    ),
    "a position on an objective that does not exist": Case(
        "mayor_a",
        "post",
        lambda w: position_url(w, "Z9"),
        lambda w: position(w, "Z9"),
        statuses=(404,),
        unchanged=POSITIONS,
    ),
    "moving a section of another questionnaire": Case(
        "team_user",
        "post",
        lambda w: reverse("surveys:item_action", args=[w.survey.pk, "sezione", w.other_section.pk, "elimina"]),
        statuses=(404,),
        unchanged=("surveys.Section", "surveys.Question"),
    ),
    "a plan document that does not exist": Case(
        "anonymous", "get", _page("/piano/999999999/scarica/"), statuses=(404,)
    ),
    "the status of a plan document that does not exist": Case(
        "council_user", "get", _page("/area-riservata/piano/99999999999999999999/stato.json"), statuses=(404,)
    ),
    "inviting again a user that does not exist": Case(
        "team_user",
        "post",
        _page("/area-riservata/utenti/99999999999999999999/reinvita/"),
        statuses=(404,),
        unchanged=("accounts.User",),
    ),
    "a questionnaire section beyond any integer": Case(
        "anonymous", "get", lambda w: f"/questionario/{w.survey.slug}/sezione/99999999999999999999/", statuses=(404,)
    ),
    # --- Missing CSRF token
    "login without a CSRF token": Case(
        "anonymous",
        "post",
        lambda w: reverse("accounts:login"),
        {"username": "a@b.it", "password": "x"},
        statuses=(403,),
        csrf=True,
    ),
    "a need without a CSRF token": Case(
        "mayor_a", "post", lambda w: reverse("phases:need_create"), need(), statuses=(403,), unchanged=NEEDS, csrf=True
    ),
    "a position without a CSRF token": Case(
        "mayor_a", "post", position_url, position, statuses=(403,), unchanged=POSITIONS, csrf=True
    ),
    "an import without a CSRF token": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"file": upload("progetti.csv", csv_bytes([good_row(1)]))},
        statuses=(403,),
        unchanged=IMPORTS,
        csrf=True,
    ),
    "starting a questionnaire without a CSRF token": Case(
        "anonymous",
        "post",
        lambda w: reverse("surveys:start", args=[w.survey.slug]),
        {"privacy": "on"},
        statuses=(403,),
        csrf=True,
    ),
    "closing a phase without a CSRF token": Case(
        "team_user",
        "post",
        lambda w: reverse("phases:phase_close", args=[Phase.objects.get(key=PhaseKey.LISTENING).pk]),
        statuses=(403,),
        unchanged=AUDIT,
        csrf=True,
    ),
    "preparing the plan without a CSRF token": Case(
        "team_user",
        "post",
        lambda w: reverse("plan:render"),
        {"kind": "draft"},
        statuses=(403,),
        unchanged=("plan.PlanDocument",),
        csrf=True,
    ),
    "inviting a user without a CSRF token": Case(
        "team_user",
        "post",
        lambda w: reverse("accounts:invite"),
        {"full_name": "Nuovo", "email": "nuovo@test.local", "role": "council"},
        statuses=(403,),
        unchanged=("accounts.User",),
        csrf=True,
    ),
    # --- Huge query strings
    "a search of 100,000 characters": Case("anonymous", "get", _page("/progetti/?q=" + "strada" * 16_000)),
    "the comuni searched with 50,000 characters": Case("anonymous", "get", _page("/comuni/?q=" + "x" * 50_000)),
    "a filter repeated 5,000 times": Case(
        "anonymous", "get", _page("/progetti/?" + "comune=083048&" * 5_000), statuses=(400,)
    ),
    "a page number of 30 digits": Case("office_a_user", "get", _page("/area-riservata/progetti/?pagina=" + "9" * 30)),
    "results filtered by a comune of 20,000 characters": Case(
        "anonymous", "get", lambda w: f"/questionario/{w.survey.slug}/risultati/?comune={'1' * 20_000}"
    ),
    # --- Bad numbers and dates
    "phase dates that do not exist": Case(
        "team_user",
        "post",
        lambda w: reverse("phases:phase_dates", args=[Phase.objects.get(key=PhaseKey.AGENDA).pk]),
        lambda w: {
            f"fase-{Phase.objects.get(key=PhaseKey.AGENDA).pk}-starts_at": "2027-02-31T10:00",
            f"fase-{Phase.objects.get(key=PhaseKey.AGENDA).pk}-ends_at": "domani",
        },
        statuses=(302,),
        says="Date non valide",
        unchanged=AUDIT,
    ),
    "a review deadline that is not a date": Case(
        "team_user",
        "post",
        lambda w: reverse("phases:version_open", args=[VisionVersionFactory(number=2).pk]),
        {"deadline": "99999-99-99T99:99"},
        statuses=(302,),
        says="data/ora valida",
        unchanged=AUDIT,
    ),
    "a project's cost of 1e309 and a date of 31/02": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:create"),
        project(total_cost="1e309", planned_start="31/02/2027", planned_end="-1"),
        unchanged=PROJECTS,
        says="Costo totale",
    ),
    "a project's cost that is not a number": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:create"),
        project(total_cost="NaN", funding_pnrr="∞"),
        unchanged=PROJECTS,
    ),
    "a proposal's cost of 30 digits": Case(
        "mayor_a",
        "post",
        lambda w: reverse("projects:proposal_create"),
        {"title": "Pista", "description": "Lungo la costa", "estimated_cost": "9" * 30},
        unchanged=("projects.Proposal",),
        phase="agenda",
    ),
    "a questionnaire number of 400 digits": Case(
        "anonymous",
        "post",
        lambda w: reverse("surveys:section", args=[w.survey.slug, 1]),
        lambda w: section_one(w, **{f"q{w.q(Kind.NUMBER).pk}": "1e400"}),
        says="numero",
        unchanged=RESPONSES,
        before=start_questionnaire,
    ),
    "catalogue's costs that are not numbers": Case(
        "anonymous", "get", _page("/progetti/?costo_min=abc&costo_max=1e999&pagina=-3&mappa=%FF")
    ),
    "coverage of a version number that is not a number": Case(
        "team_user", "get", _page("/area-riservata/consultazione/?versione=-1&versione=1e9")
    ),
    "a discussion page of -5": Case(
        "council_user", "get", _page("/area-riservata/piano/discussione/vision/?pagina=-5"), phase="agenda"
    ),
    "a vision diff between versions that are not numbers": Case(
        "anonymous", "get", _page("/visione/confronta/?da=uno&a=99999999999999999999999"), statuses=(302, 404)
    ),
    "a new question's section that is not a number": Case(
        "team_user", "get", lambda w: reverse("surveys:question_add", args=[w.survey.pk]) + "?sezione=%00x"
    ),
    # --- Path traversal in file names
    "a document named ../../../etc/passwd.pdf": Case(
        "mayor_a",
        "post",
        position_url,
        lambda w: position(w, attachment=pdf("../../../etc/passwd.pdf")),
        statuses=(302,),
        after=lambda client, w: _download_name_is_clean(client, w, "passwd.pdf"),
    ),
    "an istanza document named ..\\..\\evil.hta": Case(
        "mayor_a",
        "raw",
        lambda w: reverse("phases:need_create"),
        lambda w: multipart(need(), {"attachment_1": (b"..\\..\\evil.hta", odt().read())}),
        statuses=(302,),
        after=lambda client, w: _need_document_is_safe(client),
    ),
    "an import named ../../settings.py": Case(
        "office_a_user",
        "raw",
        lambda w: reverse("projects:import"),
        lambda w: multipart({}, {"file": (b"../../settings.py", csv_bytes([good_row(1)]))}),
        statuses=(302,),
        after=lambda client, w: _import_stored_safely(),
    ),
    "an import whose name has no letter at all": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"file": upload("$$$", csv_bytes([good_row(1)]))},
        statuses=(302,),
        after=lambda client, w: _import_stored_safely(),
    ),
    "an import named with 300 characters": Case(
        "office_a_user",
        "post",
        lambda w: reverse("projects:import"),
        lambda w: {"file": upload("p" * 300 + ".csv", csv_bytes([good_row(1)]))},
        statuses=(302,),
        after=lambda client, w: _import_stored_safely(),
    ),
    # --- Unknown enum values
    "a position's stance that does not exist": Case(
        "mayor_a",
        "post",
        position_url,
        lambda w: {**position(w), "t-A1-stance": "forse"},
        statuses=(302,),
        says="Posizione non salvata",
        unchanged=POSITIONS,
    ),
    "a need's theme that does not exist": Case(
        "mayor_a",
        "post",
        lambda w: reverse("phases:need_create"),
        need(theme="hacking"),
        says="non è tra quelle disponibili",
        unchanged=NEEDS,
    ),
    "a speaker kind that does not exist": Case(
        "mayor_a", "get", _page("/area-riservata/posizioni/pianeta/terra/"), statuses=(404,)
    ),
    "a questionnaire action that does not exist": Case(
        "team_user",
        "post",
        lambda w: reverse("surveys:item_action", args=[w.survey.pk, "tabella", 1, "vola"]),
        statuses=(404,),
        unchanged=("surveys.Section", "surveys.Question"),
    ),
    "a QR code format that does not exist": Case(
        "team_user", "get", lambda w: f"/area-riservata/questionari/{w.survey.pk}/qr.gif", statuses=(404,)
    ),
    "a plan document kind that does not exist": Case(
        "team_user",
        "post",
        lambda w: reverse("plan:render"),
        {"kind": "bozza"},
        statuses=(302,),
        says="Scegli quale documento preparare",
        unchanged=("plan.PlanDocument",),
    ),
    "a questionnaire publication action that does not exist": Case(
        "team_user",
        "post",
        lambda w: reverse("surveys:publish", args=[w.survey.pk]),
        {"azione": "distruggi"},
        statuses=(302,),
        unchanged=("surveys.Questionnaire", *AUDIT),
    ),
    "a proposal decision that does not exist": Case(
        "team_user",
        "post",
        lambda w: reverse("projects:proposal_detail", args=[w.proposal.pk]),
        {"decision": "forse"},
        says="non è tra quelle disponibili",
        unchanged=("projects.Proposal", *PROJECTS),
    ),
    "a catalogue order and status that do not exist": Case(
        "anonymous", "get", _page("/progetti/?ordina=__class__&stato=boh&fonte=luna&ufficio=abc")
    ),
    "an invitation to a role that does not exist": Case(
        "team_user",
        "post",
        lambda w: reverse("accounts:invite"),
        {"full_name": "Nuovo", "email": "nuovo@test.local", "role": "superuser"},
        says="non è tra quelle disponibili",
        unchanged=("accounts.User",),
    ),
    "a discussion section that does not exist": Case(
        "council_user", "get", _page("/area-riservata/piano/discussione/segreta/"), statuses=(404,), phase="agenda"
    ),
    "a users' role filter that does not exist": Case("team_user", "get", _page("/area-riservata/utenti/?role=admin")),
    "a comuni order that does not exist": Case("anonymous", "get", _page("/comuni/?ordina=-password")),
    "a questionnaire answer with options that do not exist": Case(
        "anonymous",
        "post",
        lambda w: reverse("surveys:section", args=[w.survey.slug, 1]),
        lambda w: section_one(
            w, **{f"q{w.q(Kind.MUNICIPALITY).pk}": "999999", f"q{w.q(Kind.AGE_BAND).pk}": "99999999999999999999"}
        ),
        says="Scegli",
        unchanged=RESPONSES,
        before=start_questionnaire,
    ),
    "a questionnaire's last section with a forged carried state": Case(
        "anonymous",
        "post",
        lambda w: reverse("surveys:section", args=[w.survey.slug, 3]),
        {"stato": "eyJmb3JnZWQiOnRydWV9:forged:signature", "_carried": "x" * 10_000},
        statuses=(200, 302, 400),
        unchanged=RESPONSES,
        before=start_questionnaire,
    ),
}


# --- Checks after a request ----------------------------------------------------------------------------


def _download_name_is_clean(client, w, expected: str | None = None) -> None:
    position = w.position.__class__.objects.get(pk=w.position.pk)
    assert position.attachment.name.startswith("private/positions/") and ".." not in position.attachment.name
    reply = client.get(reverse("phases:position_attachment", args=[position.pk]))
    disposition = reply["Content-Disposition"]
    assert reply.status_code == 200 and "/" not in disposition and "\\" not in disposition and "\x00" not in disposition
    assert disposition.endswith('.pdf"') or disposition.endswith(".pdf")
    if expected:
        assert f'filename="{expected}"' in disposition


def _need_document_is_safe(client) -> None:
    attachment = NeedAttachment.objects.latest("pk")
    assert attachment.file.name.startswith("private/needs/") and attachment.file.name.endswith(".odt")
    reply = client.get(reverse("phases:need_attachment", args=[attachment.pk]))
    assert reply["Content-Disposition"] == 'attachment; filename="evil.odt"'


def _import_refused(client, message: str) -> None:
    batch = ProjectImport.objects.latest("pk")
    assert batch.state == ImportState.INVALID
    assert message in client.get(batch.get_absolute_url()).content.decode()


def _import_stored_safely() -> None:
    batch = ProjectImport.objects.latest("pk")
    assert batch.file.name.startswith("projects/imports/")
    assert ".." not in batch.file.name and "settings.py" not in batch.file.name
    assert batch.state in (ImportState.PREVIEW, ImportState.INVALID)


def _proposal_still_open(w) -> None:
    w.proposal.refresh_from_db()
    assert w.proposal.is_open


def _shown(html: str) -> list[str]:
    """The messages and form errors of a page, to say what it showed instead."""
    import re

    found = re.findall(
        r'class="[^"]*(?:alert|invalid-feedback|errorlist|errornote)[^"]*"[^>]*>(.*?)</(?:div|ul|p|span)', html, re.S
    )
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in found]


# --- The runner ----------------------------------------------------------------------------------------


def _no_nul_byte(execute, sql, params, many, context):
    """PostgreSQL refuses a NUL byte in a query with a 500; SQLite takes it: refused here on both."""
    rows = params if many else [params]
    for row in rows or ():
        bad = [value for value in (row or ()) if isinstance(value, str) and "\x00" in value]
        assert not bad, f"a NUL byte would reach the database: {sql} {bad}"
    return execute(sql, params, many, context)


def _counts(labels: tuple[str, ...]) -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in labels}


def _client(case: Case, user) -> Client:
    client = Client(enforce_csrf_checks=case.csrf)
    if user is not None:
        client.force_login(user, backend="psm_portal.accounts.backends.RoleBackend")
    return client


def _in_phase(key: str):
    phase = Phase.objects.get(key=key)
    return time_machine.travel(phase.starts_at + timedelta(days=1), tick=False)


def _send(client: Client, case: Case, w) -> object:
    url = case.url(w)
    data = case.data(w) if callable(case.data) else case.data
    if case.method == "get":
        return client.get(url)
    if case.method == "raw":
        return client.generic("POST", url, data, content_type=case.content_type)
    return client.post(url, data or {})


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name, world, cast, settings, django_capture_on_commit_callbacks):
    case = CASES[name]
    for setting, value in case.settings.items():
        setattr(settings, setting, value)
    user = cast(case.who)
    travel = _in_phase(PhaseKey.AGENDA) if case.phase == "agenda" else None
    if travel:
        travel.start()
    try:
        client = _client(case, user)
        if case.before:
            case.before(client, world)
        before = _counts(case.unchanged)
        with django_capture_on_commit_callbacks(execute=True), connection.execute_wrapper(_no_nul_byte):
            reply = _send(client, case, world)
        assert reply.status_code != 500
        assert reply.status_code in case.statuses, (reply.status_code, reply.get("Location"))
        if case.says:
            page = reply
            for _hop in range(3):
                if page.status_code not in (301, 302):
                    break
                page = client.get(page["Location"])
            html = page.content.decode()
            assert case.says in html, (page.status_code, _shown(html))
        assert _counts(case.unchanged) == before
        if case.after:
            case.after(client, world)
    finally:
        if travel:
            travel.stop()


def test_the_corpus_is_large_and_covers_every_kind_of_bad_input():
    assert len(CASES) >= 60
    cast = {case.who for case in CASES.values()}
    assert cast == {
        "anonymous",
        "team_user",
        "office_a_user",
        "office_b_user",
        "mayor_a",
        "mayor_b",
        "council_user",
        "stakeholder_user",
    }


def test_the_municipalities_are_there(world):
    assert Municipality.objects.count() == 108
