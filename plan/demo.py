"""Demo data of the plan: the final version under the council's examination with three amendments (approved,
rejected, inadmissible) and the deliberation that approves it with the 2027 agenda. Idempotent.

The final version is asked for as the team asks for it (``plan_request``): the worker renders it after the commit
(with no broker configured, Celery runs it in this process at the commit). The council's acts are recorded once it
is ready, through the council's services: at the commit of this seeder, or at the next ``seed_demo``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from plan.models import AmendmentState, Deliberation, Examination, PlanDocument, PlanKind, PlanStatus
from plan.services import plan_request
from plan.services.council import (
    Votes,
    Window,
    file_amendment,
    open_examination,
    record_admissibility,
    record_amendment_vote,
    record_deliberation,
)
from projects.models import Agenda, AgendaStatus, Project
from psm_portal.accounts.models import User

DELIBERATION_NUMBER = 12
AMENDMENT_VOTES = Votes(present=28, votes_for=17, votes_against=9, abstained=2)
PLAN_VOTES = {"present": 30, "votes_for": 21, "votes_against": 7, "abstained": 2}


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def demo_deliberation_pdf(label: str) -> bytes:
    """A one-page PDF standing in for the signed deliberation (the demo has no signed act)."""
    text = f"{label} - copia dimostrativa del Portale PSM Messina".encode("latin-1")
    stream = b"BT /F1 14 Tf 60 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _final_version() -> PlanDocument | None:
    return (
        PlanDocument.objects.of_kind(PlanKind.FINAL)
        .filter(status=PlanStatus.READY)
        .defer("snapshot")
        .order_by("-version")
        .first()
    )


def seed_council(stdout) -> Deliberation | None:
    """The council's acts on the ready final version: examination, three amendments, the deliberation."""
    team, council, secretary = (
        _user("team@demo.psm.local"),
        _user("consiglio@demo.psm.local"),
        _user("segreteria@demo.psm.local"),
    )
    if None in (team, council, secretary) or Examination.objects.exists():
        return None
    document = _final_version()
    if document is None:
        stdout.write(
            "Il piano finale è in preparazione: rilancia `manage.py seed_demo` quando è pronto "
            "per l'esame del Consiglio e la delibera."
        )
        return None
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    agenda = Agenda.objects.filter(status=AgendaStatus.SUBMITTED).order_by("year", "-version").first()
    with transaction.atomic():
        examination = open_examination(
            team, document, agenda, Window(now - timedelta(days=14), now + timedelta(days=1))
        )
        projects = list(Project.objects.published().filter(local_code__startswith="DEMO-").order_by("local_code")[:2])
        amendments = []
        if projects:
            amendments.append(
                (
                    {"target": "project_amount", "project": projects[0].pk,
                     "amount": ((projects[0].total_cost or Decimal("100000")) * Decimal("1.1")).quantize(
                         Decimal("0.01")),
                     "motivation": "Il progetto esecutivo aggiornato ai prezzi 2026 costa il 10% in più."},
                    AmendmentState.APPROVED,
                )
            )  # fmt: skip
        amendments.append(
            (
                {"target": "section", "section": "vision",
                 "text": "La Città Metropolitana si impegna a un piano di mobilità integrata dello Stretto.",
                 "motivation": "La Visione non nomina l'area dello Stretto."},
                AmendmentState.REJECTED,
            )
        )  # fmt: skip
        amendments.append(
            (
                {"target": "section", "section": "annex", "text": "Aggiungere l'elenco delle frazioni.",
                 "motivation": "Completezza dell'allegato."},
                AmendmentState.INADMISSIBLE,
            )
        )  # fmt: skip
        for data, outcome in amendments:
            amendment = file_amendment(council, examination, data)
            if outcome == AmendmentState.INADMISSIBLE:
                record_admissibility(secretary, amendment, False, "Estraneo al contenuto del piano.")
                continue
            record_admissibility(secretary, amendment, True)
            record_amendment_vote(secretary, amendment, AMENDMENT_VOTES, outcome)
        label = f"Delibera n. {DELIBERATION_NUMBER}/{now.year}"
        deliberation = record_deliberation(
            secretary,
            examination,
            {
                "number": DELIBERATION_NUMBER,
                "year": now.year,
                "date": timezone.localdate(now),
                "session": f"seduta ordinaria del {timezone.localdate(now):%d/%m/%Y}",
                "outcome": "approved",
                **PLAN_VOTES,
            },
            ContentFile(demo_deliberation_pdf(label), name="delibera.pdf"),
        )
    stdout.write(
        f"{deliberation.label}: approvato il {document} con {len(amendments)} emendamenti"
        f"{f' e l’{agenda}' if agenda else ''}."
    )
    return deliberation


def seed(stdout) -> None:
    if Examination.objects.exists():
        return
    document = _final_version()
    if document is None:
        team = _user("team@demo.psm.local")
        if team is None:
            return
        document, _created = plan_request(kind=PlanKind.FINAL, user=team)
        stdout.write(f"{document}: richiesto al worker.")
    # After the render's own callback: with no broker the version is ready by then.
    transaction.on_commit(lambda: seed_council(stdout))
