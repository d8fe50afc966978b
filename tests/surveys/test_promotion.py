"""Promotion for the team and the offices: link, QR code, A4 poster, live counts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from surveys.models import Kind
from surveys.services import response_submit
from tests.conftest import CAST
from tests.surveys.conftest import LIPARI, full_answers

pytestmark = pytest.mark.django_db
STAFF = ("team_user", "office_a_user", "office_b_user")


def expected(member: str) -> int:
    return 302 if member == "anonymous" else (200 if member in STAFF else 403)


@pytest.mark.parametrize("member", CAST)
@pytest.mark.parametrize("name", ["promote", "qr_svg", "qr_png"])
def test_promotion_is_for_team_and_offices(member, name, cast, login, survey):
    if name == "promote":
        target = reverse("surveys:promote", args=[survey.pk])
    else:
        target = reverse("surveys:qr", args=[survey.pk, name[3:]])
    assert login(cast(member)).get(target).status_code == expected(member)


def test_promotion_page_shows_link_and_live_counts(login, office_a_user, survey, q, settings):
    settings.SITE_URL = "https://psm.example.it"
    response_submit(questionnaire=survey, answers=full_answers(q))
    response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: LIPARI}))
    response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: LIPARI}))
    response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: "altro"}))
    reply = login(office_a_user).get(reverse("surveys:promote", args=[survey.pk]))
    html = reply.content.decode()
    assert "https://psm.example.it/questionario/mobilita/" in html
    assert reply.context["counts"]["total"] == 4
    assert reply.context["counts"]["rows"] == [
        {"istat_code": LIPARI, "name": "Lipari", "count": 2},
        {"istat_code": "083048", "name": "Messina", "count": 1},
    ]


def test_qr_codes_encode_the_public_link(login, team_user, survey):
    client = login(team_user)
    svg = client.get(reverse("surveys:qr", args=[survey.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")
    assert b"<title>Mobilit" in svg.content
    png = client.get(reverse("surveys:qr", args=[survey.pk, "png"]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_unknown_qr_format_and_draft_are_not_found(login, team_user, survey):
    client = login(team_user)
    for fmt in ("exe", "html", "svgz"):
        assert client.get(reverse("surveys:qr", args=[survey.pk, fmt])).status_code == 404
    survey.status = "draft"
    survey.save()
    assert client.get(reverse("surveys:qr", args=[survey.pk, "svg"])).status_code == 404


def test_poster_is_an_a4_pdf_with_title_and_link(login, office_b_user, survey, settings):
    settings.SITE_URL = "https://psm.example.it"
    reply = login(office_b_user).get(reverse("surveys:poster", args=[survey.pk]))
    assert reply["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(reply.content))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = pdf.pages[0].extract_text()
    assert "Mobilità e futuro" in text and "psm.example.it/questionario/mobilita/" in text


@pytest.mark.parametrize("member", CAST)
def test_poster_permissions(member, cast, login, survey):
    assert login(cast(member)).get(reverse("surveys:poster", args=[survey.pk])).status_code == expected(member)
