"""The optional PAdES electronic seal of the final plan: when ``PLAN_SEAL_CERT`` and ``PLAN_SEAL_KEY`` (PEM files)
are configured, every final plan PDF is sealed right after WeasyPrint writes it, with an invisible PAdES signature
(an incremental update, so the file stays PDF/A-3b) that any PDF reader verifies. The SHA-256 the portal stores,
publishes and verifies is the sealed file's.

A seal carries its signing time, so two renders of the same data no longer give the same bytes; the render service
replaces a leftover file whose bytes differ (``plan.services._store_pdf``).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEAL_FIELD = "SigilloPortalePSM"


def seal_configured() -> bool:
    return bool(settings.PLAN_SEAL_CERT and settings.PLAN_SEAL_KEY)


def seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    """``pdf`` with the portal's PAdES seal (baseline B-B, SHA-256), as new bytes."""
    # pyHanko (and its cryptography stack) loads only where a final plan is rendered with a seal configured.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    passphrase = settings.PLAN_SEAL_KEY_PASSWORD.encode() if settings.PLAN_SEAL_KEY_PASSWORD else None
    signer = signers.SimpleSigner.load(settings.PLAN_SEAL_KEY, settings.PLAN_SEAL_CERT, key_passphrase=passphrase)
    if signer is None:
        raise ImproperlyConfigured(
            "PLAN_SEAL_CERT / PLAN_SEAL_KEY: certificato o chiave del sigillo illeggibili (PEM, chiave senza "
            "passphrase o con PLAN_SEAL_KEY_PASSWORD)."
        )
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location="Messina",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.sign_pdf(writer, metadata, signer=signer).getvalue()
