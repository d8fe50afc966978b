"""Writes on plan documents: request a render, render (claimed by a conditional UPDATE), hand out again a render
whose worker died, publish."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.phases import Feature
from phases.predicates import gate
from plan.document import PlanRenderError, canonical_json, render_plan_pdf
from plan.models import DraftSection, PlanComment, PlanDocument, PlanKind, PlanStatus
from plan.sections import collect
from plan.sections import fingerprint as data_fingerprint
from psm_portal.accounts.permissions import is_team
from psm_portal.audit.services import audit_record
from subscriptions.models import UpdateKind
from subscriptions.services import record_update

logger = logging.getLogger(__name__)

# Failures worth another attempt: the database or the storage went away for a moment.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError, OperationalError, InterfaceError)
UNFINISHED = (PlanStatus.QUEUED, PlanStatus.RENDERING)
# Resumptions after which a document that keeps losing its worker (killed for memory, say) ends as failed.
RESUME_LIMIT = 3


def plan_snapshot(*, kind: str) -> dict:
    """The data a document of this kind would be rendered from now, as canonical JSON values."""
    return _snapshot_with_hash(kind)[0]


def _snapshot_with_hash(kind: str) -> tuple[dict, str]:
    # Serialised once: the canonical text gives both the stored values and their hash.
    text = canonical_json({"kind": kind, "sections": collect(kind)})
    return json.loads(text), hashlib.sha256(text.encode()).hexdigest()


def plan_request(*, kind: str, user=None, enqueue: bool = True) -> tuple[PlanDocument, bool]:
    """Queue a render of the current data, or return the document already made from identical data.

    The request compares only the data's fingerprint (``providers.fingerprint``); the snapshot is
    built by the worker. Returns ``(document, created)``; the render is enqueued after the
    transaction commits (``enqueue=False`` leaves it to the caller, as ``manage.py render_plan`` does).
    """
    if kind not in PlanKind.values:
        raise ValueError(f"Tipo di documento sconosciuto: {kind}")
    fingerprint = data_fingerprint(kind)
    for _attempt in range(5):
        existing = _made_from(kind, fingerprint)
        if existing:
            if enqueue and _is_stuck(existing):
                # Lost on the way (broker down, message dropped, worker dead): handed out again as the sweeper
                # does; the claim token lets only one worker finish it if the first message turns up after all.
                now = timezone.now()
                _resume(existing.pk, claim=existing.claim, resumes=existing.resumes, cutoff=_stale_before(now), now=now)
                if PlanDocument.objects.filter(pk=existing.pk, status=PlanStatus.FAILED).exists():
                    continue  # it kept dying and was given up: a new version is made
            return existing, False
        try:
            with transaction.atomic():
                last = PlanDocument.objects.of_kind(kind).aggregate(last=Max("version"))["last"] or 0
                document = PlanDocument.objects.create(
                    kind=kind,
                    version=last + 1,
                    data_fingerprint=fingerprint,
                    requested_by=user if getattr(user, "pk", None) else None,
                    requested_at=timezone.now().replace(microsecond=0),
                )
                audit_record(actor=user, action="plan_document.request", obj=document, after={"version": last + 1})
        except IntegrityError:
            # Another request took this version number, or asked for the same data: look again.
            continue
        if enqueue:
            _enqueue(document.pk)
        return document, True
    raise RuntimeError("Impossibile assegnare un numero di versione al documento del piano.")


def _made_from(kind: str, fingerprint: str) -> PlanDocument | None:
    """The live document made from data with this fingerprint, directly or through a twin found by the worker."""
    documents = PlanDocument.objects.of_kind(kind)
    # The request only names the document: the snapshot (megabytes) stays in the database.
    existing = documents.reusable().filter(data_fingerprint=fingerprint).defer("snapshot").first()
    if existing is None:
        twin = (
            documents.filter(status=PlanStatus.SAME, data_fingerprint=fingerprint, same_as__in=documents.reusable())
            .select_related("same_as")
            .defer("snapshot", "same_as__snapshot")
            .order_by("-pk")
            .first()
        )
        existing = twin.same_as if twin else None
    return existing


def _stale_before(now):
    return now - timedelta(seconds=settings.PSM_PLAN_STALE_SECONDS)


def _untouched_since(cutoff) -> Q:
    """Unfinished, and untouched before ``cutoff``: the latest of taken by a worker (``started_at``, cleared
    when handed out again), handed out again (``resumed_at``) and asked for (``requested_at``)."""
    return Q(status__in=UNFINISHED) & (
        Q(started_at__lt=cutoff)
        | Q(started_at__isnull=True, resumed_at__lt=cutoff)
        | Q(started_at__isnull=True, resumed_at__isnull=True, requested_at__lt=cutoff)
    )


def _is_stuck(document: PlanDocument) -> bool:
    """Unfinished, and untouched by any worker for longer than PSM_PLAN_STALE_SECONDS."""
    if document.status not in UNFINISHED:
        return False
    since = document.started_at or document.resumed_at or document.requested_at
    return since < _stale_before(timezone.now())


def _resume(document_id: int, *, claim: str, resumes: int, cutoff, now) -> bool:
    """Hand out again a document untouched since ``cutoff`` and still held by ``claim``: queued from the start
    (the old holder can no longer finish it) and recorded as resumed; after ``RESUME_LIMIT`` resumptions it ends
    as failed. A conditional UPDATE: of two sweepers, one does it. Returns True when this call did."""
    candidate = PlanDocument.objects.filter(_untouched_since(cutoff), pk=document_id, claim=claim)
    if resumes >= RESUME_LIMIT:
        message = _(
            "La preparazione si è interrotta %(n)s volte senza finire (il processo che la eseguiva si è fermato). "
            "Riprova; se succede ancora, avvisa chi gestisce il server."
        ) % {"n": resumes + 1}
        ended = candidate.update(status=PlanStatus.FAILED, claim="", error=message, finished_at=now)
        if ended:
            logger.error("Plan document %s stopped %s times: given up", document_id, resumes + 1)
        return bool(ended)
    resumed = candidate.update(
        status=PlanStatus.QUEUED,
        claim="",
        started_at=None,
        progress=0,
        error="",
        resumed_at=now,
        resumes=F("resumes") + 1,
    )
    if resumed:
        logger.warning("Plan document %s: its worker stopped; handed out again", document_id)
        _enqueue(document_id)
    return bool(resumed)


def _stale_documents(cutoff) -> list[tuple[int, str, int]]:
    return list(PlanDocument.objects.filter(_untouched_since(cutoff)).values_list("pk", "claim", "resumes"))


def plan_resume_stale(*, now=None) -> int:
    """Hand out again every document whose render lost its worker (untouched for PSM_PLAN_STALE_SECONDS):
    rendered again from the start by the next worker, or failed after ``RESUME_LIMIT`` resumptions. Safe
    with two sweepers at once; returns how many it handled."""
    now = now or timezone.now()
    cutoff = _stale_before(now)
    return sum(
        _resume(pk, claim=claim, resumes=resumes, cutoff=cutoff, now=now)
        for pk, claim, resumes in _stale_documents(cutoff)
    )


def _too_long() -> str:
    return _("La preparazione ha superato il tempo massimo di %(minutes)s minuti ed è stata fermata.") % {
        "minutes": max(1, round(settings.PSM_PLAN_RENDER_TIME_LIMIT / 60))
    }


FREEZE_ATTEMPTS = 3


def _freeze(document: PlanDocument, mine) -> PlanDocument | None:
    """Build and store the document's snapshot and fingerprint, once: a redelivered job renders what was frozen.

    Returns the live document with the same content or the same data when there is one (this one
    then becomes ``same``), else None. Raises PlanRenderError when the snapshot cannot be stored.
    """
    if document.content_hash:
        return None
    # The fingerprint is taken again here, before the snapshot: if the data move in between, it is
    # older than the content (a later request finds the same content and renders nothing), never
    # newer (a request over new data would get this document's old content).
    fingerprint = data_fingerprint(document.kind)
    snapshot, digest = _snapshot_with_hash(document.kind)
    live = PlanDocument.objects.of_kind(document.kind).reusable().exclude(pk=document.pk).only("pk")
    for _attempt in range(FREEZE_ATTEMPTS):
        twin = live.filter(content_hash=digest).first()
        if twin is None:
            try:
                with transaction.atomic():
                    mine.update(snapshot=snapshot, content_hash=digest, data_fingerprint=fingerprint, progress=10)
            except IntegrityError:
                # Another live document froze the same content, or was asked for over the same data, a moment ago.
                twin = live.filter(content_hash=digest).first() or live.filter(data_fingerprint=fingerprint).first()
                if twin is None:  # it failed or turned out a twin itself meanwhile: try again
                    continue
            else:
                document.snapshot, document.content_hash, document.data_fingerprint = snapshot, digest, fingerprint
                return None
        # A twin is never live, so it may share the fingerprint: the next request over these data finds it.
        mine.update(
            status=PlanStatus.SAME, same_as=twin, data_fingerprint=fingerprint, progress=100, finished_at=timezone.now()
        )
        return twin
    raise PlanRenderError(
        _("I dati del documento non si possono fissare: un'altra preparazione li sta usando. Riprova.")
    )


def _enqueue(document_id: int) -> None:
    from plan.tasks import render_plan_document  # plan.tasks imports this module

    def send() -> None:
        try:
            render_plan_document.delay(document_id)
        except Exception:
            # The broker is down: the row stays queued and a later request over the same data enqueues it again.
            logger.exception("Plan document %s: the render could not be enqueued", document_id)

    # Robust as well: nothing raised after the commit may turn the saved request into a 500.
    transaction.on_commit(send, robust=True)


def _store_pdf(document: PlanDocument, pdf: bytes) -> str:
    """Save the PDF under a name fixed by the document; a leftover from a killed worker is replaced."""
    name = f"piano/{document.filename}"
    digest = hashlib.sha256(pdf).hexdigest()
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if hashlib.sha256(existing.read()).hexdigest() == digest:
                return name
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(pdf))
    return stored


def plan_render(*, document_id: int) -> PlanDocument | None:
    """Render one queued document. Safe to run twice: only the holder of the latest claim finishes it.

    A document already ready or failed is left alone; one left ``rendering`` by a dead worker is taken over.
    """
    token = uuid.uuid4().hex
    claimed = PlanDocument.objects.filter(pk=document_id, status__in=[PlanStatus.QUEUED, PlanStatus.RENDERING]).update(
        status=PlanStatus.RENDERING,
        claim=token,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        progress=5,
        error="",
    )
    if not claimed:
        return PlanDocument.objects.filter(pk=document_id).first()
    document = PlanDocument.objects.get(pk=document_id)
    mine = PlanDocument.objects.filter(pk=document_id, claim=token, status=PlanStatus.RENDERING)

    def progress(value: int) -> None:
        mine.update(progress=value)

    try:
        if _freeze(document, mine) is not None:
            logger.info("Plan document %s has the same content as an earlier version", document_id)
            return PlanDocument.objects.get(pk=document_id)
        result = render_plan_pdf(
            document.snapshot,
            kind=document.kind,
            version=document.version,
            created=document.requested_at,
            progress=progress,
        )
    except PlanRenderError as exc:
        logger.warning("Plan document %s cannot be rendered: %s", document_id, exc)
        return _failed(mine, document_id, str(exc))
    except SoftTimeLimitExceeded:
        logger.error("Plan document %s: over the time limit", document_id)
        return _failed(mine, document_id, _too_long())
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # WeasyPrint or a template tag failing on odd data: record it, do not retry
        logger.exception("Plan document %s failed", document_id)
        message = _("Il documento non si può impaginare: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
        return _failed(mine, document_id, message)

    try:
        name = _store_pdf(document, result.pdf)
        finished = mine.update(
            status=PlanStatus.READY,
            progress=100,
            file=name,
            sha256=result.sha256,
            size=len(result.pdf),
            pages=result.pages,
            finished_at=timezone.now(),
        )
    except SoftTimeLimitExceeded:
        logger.error("Plan document %s: over the time limit while stored", document_id)
        return _failed(mine, document_id, _too_long())
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # storage refused the file (permissions, disk full): retrying will not help
        logger.exception("Plan document %s could not be stored", document_id)
        message = _("Il PDF è stato impaginato ma non si può salvare: %(error)s") % {
            "error": f"{type(exc).__name__}: {exc}"
        }
        return _failed(mine, document_id, message)
    if not finished:
        logger.info("Plan document %s was finished by another worker", document_id)
    return PlanDocument.objects.get(pk=document_id)


def _failed(mine, document_id: int, message: str) -> PlanDocument:
    """End the claimed document as failed with an Italian message for the team."""
    mine.update(status=PlanStatus.FAILED, error=message, finished_at=timezone.now())
    return PlanDocument.objects.get(pk=document_id)


def plan_fail(*, document_id: int, message: str) -> None:
    """Give up on a document still in progress (after the last retry of a transient error)."""
    PlanDocument.objects.filter(pk=document_id, status__in=[PlanStatus.QUEUED, PlanStatus.RENDERING]).update(
        status=PlanStatus.FAILED, error=message, finished_at=timezone.now()
    )


def plan_publish(*, document: PlanDocument, user) -> PlanDocument:
    """Publish a ready preliminary proposal on /piano/. The final plan is published by the council's deliberation
    that approves it (``plan.services.council.record_deliberation``), never by the team alone."""
    if document.status != PlanStatus.READY:
        raise ValidationError(_("Si può pubblicare solo un documento pronto."))
    if document.kind == PlanKind.FINAL and not document.is_published:
        raise ValidationError(
            _(
                "Il piano finale si pubblica solo con la delibera del Consiglio metropolitano che lo approva: "
                "trasmettilo al Consiglio dal fascicolo del Consiglio."
            )
        )
    if document.published_at is None:
        with transaction.atomic():
            document.published_at = timezone.now()
            document.published_by = user if getattr(user, "pk", None) else None
            document.save(update_fields=["published_at", "published_by"])
            audit_record(actor=user, action="plan_document.publish", obj=document, after={"sha256": document.sha256})
            record_document_published(document)
            _enqueue_published_notice(document.pk)
    return document


def record_document_published(document: PlanDocument) -> None:
    """A published plan document goes into the subscribers' next digest (news subscribers: it concerns all)."""
    record_update(
        kind=UpdateKind.DOCUMENT,
        title=_("Pubblicato il documento «%(document)s»") % {"document": document},
        url=reverse("plan:list"),
        news=True,
    )


def _enqueue_published_notice(document_id: int) -> None:
    from plan.tasks import notify_plan_published  # plan.tasks imports this module

    def send() -> None:
        try:
            notify_plan_published.delay(document_id)
        except Exception:
            # The broker is down: the document is published all the same; /piano/ shows it.
            logger.exception("Plan document %s: the publication notice could not be enqueued", document_id)

    transaction.on_commit(send, robust=True)


def plan_unpublish(*, document: PlanDocument, user) -> PlanDocument:
    """Withdraw a document from /piano/; the file and its history stay. A version the council deliberated on is
    an act: it is never withdrawn."""
    if document.deliberations.exists():
        raise ValidationError(
            _("La versione %(version)s è stata deliberata dal Consiglio metropolitano: non si ritira.")
            % {"version": document.version}
        )
    if document.published_at is not None:
        before = document.published_at.isoformat()
        document.published_at = None
        document.published_by = None
        document.save(update_fields=["published_at", "published_by"])
        audit_record(actor=user, action="plan_document.unpublish", obj=document, before={"published_at": before})
    return document


# --- Discussion of the preliminary proposal -----------------------------------------------------------------


def _ensure_discussed(document: PlanDocument) -> None:
    if document.kind != PlanKind.DRAFT or not document.is_published or document.status != PlanStatus.READY:
        raise ValidationError(_("Si commenta solo la proposta preliminare pubblicata."))


def _ensure_open() -> None:
    """The discussion follows the phase that opens it, whoever calls the service (the views check it first)."""
    status = gate(Feature.COMMENT_DRAFT_PLAN)
    if not status.open:
        raise ValidationError(status.message)


def plan_comment_add(*, document: PlanDocument, section: str, user, body: str):
    """Add a comment to the thread of the user's municipality (mayor) or office on one section of the draft."""
    _ensure_discussed(document)
    if section not in DraftSection.values:
        raise ValidationError(_("Sezione del documento sconosciuta."))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Scrivi il commento prima di inviarlo."))
    participant = PlanComment.participant_of(user)
    if participant is None:
        raise ValidationError(_("Commentano i sindaci per il loro comune e gli uffici per il loro ufficio."))
    _ensure_open()
    comment = PlanComment.objects.create(document=document, section=section, author=user, body=body, **participant)
    return comment


def plan_comment_reply(*, document: PlanDocument, section: str, thread: str, user, body: str):
    """The PSM team answers in a municipality's or office's thread (``thread`` as ``PlanComment.thread_key``)."""
    if not is_team(user):
        raise ValidationError(_("Risponde nelle discussioni solo il team PSM."))
    _ensure_open()
    _ensure_discussed(document)
    participant = PlanComment.participant_of_thread(thread)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Scrivi la risposta prima di inviarla."))
    opened = (
        participant is not None
        and PlanComment.objects.thread(document=document, section=section, **participant).from_participants().exists()
    )
    if not opened:
        raise ValidationError(
            _("Questa discussione non esiste: si risponde a un comune o a un ufficio che ha commentato.")
        )
    comment = PlanComment.objects.create(
        document=document, section=section, author=user, body=body, from_team=True, **participant
    )
    audit_record(actor=user, action="plan_comment.reply", obj=comment, after={"thread": thread, "section": section})
    return comment
