"""The final plan's optional PAdES seal, with a certificate made here: pyHanko validates the sealed file (intact,
valid, trusted against that certificate), the file stays PDF/A-3b, and the SHA-256 published and verified is the
sealed file's."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.files.storage import default_storage
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from plan.models import PlanStatus
from plan.seal import SEAL_FIELD, seal_pdf
from plan.services import plan_render, plan_request
from tests.plan.conftest import pdf_text, tiny_pdf
from tests.plan.council_rows import approved_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def seal(settings, tmp_path):
    """A self-signed seal certificate of the Città Metropolitana and its RSA key, as PEM files in the settings."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Città Metropolitana di Messina"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Sigillo del Portale PSM (prova)"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_cert_sign=True,
                crl_sign=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "sigillo.crt", tmp_path / "sigillo.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    settings.PLAN_SEAL_CERT, settings.PLAN_SEAL_KEY = str(cert_path), str(key_path)
    return load_cert_from_pemder(str(cert_path))


def _signatures(data: bytes):
    return PdfFileReader(io.BytesIO(data)).embedded_signatures


def _status(data: bytes, trusted_certificate):
    (signature,) = _signatures(data)
    return signature, validate_pdf_signature(signature, ValidationContext(trust_roots=[trusted_certificate]))


def test_a_sealed_pdf_validates_against_the_seal_certificate(seal):
    sealed = seal_pdf(tiny_pdf("piano"), reason="Prova")
    signature, status = _status(sealed, seal)
    assert signature.field_name == SEAL_FIELD
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Sigillo del Portale PSM (prova)"
    # One byte changed inside the signed range: the seal breaks.
    changed = bytearray(sealed)
    changed[20] ^= 0x01
    _signature, broken = _status(bytes(changed), seal)
    assert not broken.intact and not broken.bottom_line


def test_the_final_plan_is_sealed_and_its_published_hash_is_the_sealed_files(
    seal, full_plan, media, client, team_user, secretary_user, council_user
):
    final, _created = plan_request(kind="final", user=team_user, enqueue=False)
    final = plan_render(document_id=final.pk)
    assert final.status == PlanStatus.READY, final.error
    with default_storage.open(final.file.name, "rb") as handle:
        data = handle.read()
    assert final.sha256 == hashlib.sha256(data).hexdigest()
    _signature, status = _status(data, seal)
    assert status.bottom_line
    assert status.md_algorithm == "sha256"
    # Still PDF/A-3b and tagged: the seal is an incremental update.
    reader, pages = pdf_text(data)
    assert (reader.xmp_metadata.pdfaid_part, reader.xmp_metadata.pdfaid_conformance) == ("3", "B")
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"].value is True
    assert "Piano finale · versione 1" in "\n".join(pages)
    # The council approves this version: the verification page recognises the sealed file, by upload.
    approved_plan(team=team_user, secretary=secretary_user, councillor=council_user, document=final)
    html = client.post("/piano/verifica/", {"file": io.BytesIO(data)}).content.decode()
    assert "È la versione 1 del piano (Piano finale), approvata con Delibera n. 12/2027 del 30/06/2027." in html
    # The preliminary proposal is never sealed.
    draft, _created = plan_request(kind="draft", user=team_user, enqueue=False)
    draft = plan_render(document_id=draft.pk)
    with default_storage.open(draft.file.name, "rb") as handle:
        assert _signatures(handle.read()) == []


def test_without_a_certificate_the_final_plan_is_not_sealed(settings, full_plan, media):
    settings.PLAN_SEAL_CERT = settings.PLAN_SEAL_KEY = ""
    final, _created = plan_request(kind="final", user=None, enqueue=False)
    final = plan_render(document_id=final.pk)
    with default_storage.open(final.file.name, "rb") as handle:
        assert _signatures(handle.read()) == []


def test_an_unreadable_seal_configuration_is_said_plainly(settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    (tmp_path / "vuoto.pem").write_text("non è un PEM")
    settings.PLAN_SEAL_CERT = settings.PLAN_SEAL_KEY = str(tmp_path / "vuoto.pem")
    with pytest.raises(ImproperlyConfigured, match="PLAN_SEAL_CERT"):
        seal_pdf(tiny_pdf("piano"), reason="Prova")
