"""Istanze: mayors send them for their own municipality; the page of the municipality shows them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.models import Municipality
from phases.factories import NeedFactory, PositionFactory
from phases.models import Need, NeedAttachment, NeedStatus, NeedTheme, Stance, VisionStatus
from psm_portal.audit.models import AuditEvent
from tests.files import fake_pdf, odt, pdf

pytestmark = pytest.mark.django_db


def need_data(**extra) -> dict:
    return {"title": "Strada franata", "description": "Serve un intervento urgente.", "theme": "mobility", **extra}


def test_mayor_sends_a_need_with_objectives_and_attachments(login, mayor_a, messina, tree, listening_now):
    client = login(mayor_a)
    response = client.post(
        reverse("phases:need_create"),
        need_data(objectives=[tree["A1"].pk], attachment_1=pdf(), attachment_2=odt()),
    )
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    assert need.municipality == messina and need.author == mayor_a and list(need.objectives.all()) == [tree["A1"]]
    assert need.attachments.count() == 2
    attachment = need.attachments.first()
    assert attachment.file.name.startswith("private/needs/") and attachment.name == "posizione.pdf"
    download = client.get(reverse("phases:need_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_need_attachment_is_a_private_download_read_without_a_join(login, mayor_a, messina, listening_now):
    client = login(mayor_a)
    client.post(reverse("phases:need_create"), need_data(attachment_1=pdf()))
    attachment = NeedAttachment.objects.get()
    assert re.fullmatch(r"private/needs/[0-9a-f]{32}\.pdf", attachment.file.name)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("phases:need_attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="posizione.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # The attachment is read alone; the need comes with its municipality in the permission check.
    attachment_query = next(q["sql"] for q in captured.captured_queries if '"phases_needattachment"' in q["sql"])
    assert "JOIN" not in attachment_query


def test_a_forged_municipality_in_the_form_is_ignored(login, mayor_a, messina, listening_now):
    login(mayor_a).post(reverse("phases:need_create"), need_data(municipality="083041"))
    assert Need.objects.get().municipality == messina


def test_a_bad_attachment_saves_nothing(login, mayor_a, listening_now):
    response = login(mayor_a).post(
        reverse("phases:need_create"), need_data(attachment_1=pdf(), attachment_2=fake_pdf())
    )
    assert response.status_code == 200
    assert "il contenuto del file non corrisponde" in response.content.decode()
    assert not Need.objects.exists() and not NeedAttachment.objects.exists()


def test_specific_objectives_cannot_be_linked(login, mayor_a, tree, listening_now):
    response = login(mayor_a).post(reverse("phases:need_create"), need_data(objectives=[tree["A1.1"].pk]))
    assert response.status_code == 200 and not Need.objects.exists()


def test_mayor_sees_only_their_municipality_needs(login, mayor_a, messina, lipari):
    NeedFactory(municipality=messina, title="Di Messina")
    NeedFactory(municipality=lipari, title="Di Lipari")
    html = login(mayor_a).get(reverse("phases:needs")).content.decode()
    assert "Di Messina" in html and "Di Lipari" not in html


def test_mayor_cannot_read_another_municipality_need_or_its_attachment(login, mayor_a, mayor_b, messina, listening_now):
    login(mayor_a).post(reverse("phases:need_create"), need_data(attachment_1=pdf()))
    need = Need.objects.get()
    attachment = need.attachments.get()
    other = login(mayor_b)  # the mayor of Lipari
    assert other.get(reverse("phases:need_detail", args=[need.pk])).status_code == 404
    assert other.get(reverse("phases:need_attachment", args=[attachment.pk])).status_code == 404
    assert login(mayor_a).get(reverse("phases:need_detail", args=[need.pk])).status_code == 200


def test_team_filters_and_pages_the_needs(login, team_user, messina, lipari):
    for i in range(30):
        NeedFactory(municipality=messina if i % 2 else lipari, title=f"Richiesta {i}", status=NeedStatus.RECEIVED)
    NeedFactory(municipality=lipari, title="Già vista", status=NeedStatus.TAKEN)
    client = login(team_user)
    response = client.get(reverse("phases:needs_review"), {"q": "lipari", "stato": "taken"})
    assert [n.title for n in response.context["page"]] == ["Già vista"]
    response = client.get(reverse("phases:needs_review"), {"pagina": 2})
    assert response.context["page"].number == 2 and len(response.context["page"]) == 6
    assert client.get(reverse("phases:needs_review"), {"stato": "<script>", "pagina": "x"}).status_code == 200


def test_an_invalid_review_shows_the_stored_values(login, team_user, messina):
    need = NeedFactory(municipality=messina, status=NeedStatus.TAKEN, tags="porti", reply="Risposta salvata.")
    response = login(team_user).post(
        reverse("phases:need_detail", args=[need.pk]),
        {"status": "inventato", "tags": "strade", "reply": "Risposta non salvata."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Risposta salvata.</p>" in html and "<p>Risposta non salvata.</p>" not in html
    assert ">porti</span>" in html and ">strade</span>" not in html
    assert "presa in considerazione" in html
    assert response.context["form"].errors["status"]
    need.refresh_from_db()
    assert (need.status, need.tags, need.reply) == (NeedStatus.TAKEN, "porti", "Risposta salvata.")


def test_a_review_records_the_stored_values_as_before(login, team_user, messina):
    need = NeedFactory(municipality=messina, status=NeedStatus.RECEIVED, tags="porti", reply="")
    login(team_user).post(
        reverse("phases:need_detail", args=[need.pk]), {"status": "taken", "tags": "strade", "reply": "Ok."}
    )
    entry = AuditEvent.objects.get(action="need.review")
    assert entry.before == {"status": "received", "tags": "porti", "reply": ""}
    assert entry.after == {"status": "taken", "tags": "strade", "reply": "Ok."}


def test_needs_are_searched_by_municipality_without_accents_or_by_title(messina):
    ali_terme = Municipality.objects.get(istat_code="083003")
    of_ali = NeedFactory(municipality=ali_terme, title="Lungomare", theme=NeedTheme.TOURISM)
    of_messina = NeedFactory(municipality=messina, title="Porto di Tremestieri", theme=NeedTheme.MOBILITY)
    assert list(Need.objects.search("ALI TERME")) == [of_ali]
    assert list(Need.objects.search("tremestieri")) == [of_messina]
    assert set(Need.objects.search("  ")) == {of_ali, of_messina}
    assert list(Need.objects.with_theme(NeedTheme.TOURISM)) == [of_ali]
    assert set(Need.objects.with_theme("")) == {of_ali, of_messina}


def test_municipality_page_shows_needs_and_reply(client, messina):
    NeedFactory(municipality=messina, title="Porto di Tremestieri", reply="Lo abbiamo inserito nel piano.")
    html = client.get(reverse("municipalities:detail", args=["083048"])).content.decode()
    assert "Porto di Tremestieri" in html and "Lo abbiamo inserito nel piano." in html


@pytest.mark.parametrize(
    "status,shown", [(VisionStatus.OPEN, False), (VisionStatus.CLOSED, True), (VisionStatus.ADOPTED, True)]
)
def test_municipality_page_shows_positions_once_the_review_is_closed(client, messina, tree, status, shown):
    position = PositionFactory(
        municipality=messina, objective=tree["A1"], stance=Stance.DISAGREE, comment="Troppo poco"
    )
    position.version.status = status
    position.version.save()
    html = client.get(reverse("municipalities:detail", args=["083048"])).content.decode()
    assert ("Troppo poco" in html) is shown


def test_an_odt_uploaded_as_hta_downloads_with_the_odt_extension(login, mayor_a, messina, listening_now):
    client = login(mayor_a)
    client.post(reverse("phases:need_create"), need_data(attachment_1=odt("../relazione urgente.hta")))
    attachment = NeedAttachment.objects.get()
    response = client.get(reverse("phases:need_attachment", args=[attachment.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="relazione urgente.odt"'
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
