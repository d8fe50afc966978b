"""Positions: one per subject and target, changeable until the deadline, never for somebody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phases.factories import VisionVersionFactory
from phases.models import Position
from psm_portal.lib.uploads import MAX_DOCUMENT_BYTES
from tests.files import big_pdf, docx, fake_pdf, odt, pdf, plain_zip
from tests.phases.conftest import position_post

pytestmark = pytest.mark.django_db


def save_url(kind: str, key: str, target: str) -> str:
    return reverse("phases:position_save", args=[kind, key, target])


def test_mayor_gives_and_changes_a_position_for_their_municipality(tree, open_version, login, mayor_a, messina):
    client = login(mayor_a)
    client.post(save_url("comune", "083048", "A1"), position_post(open_version, "A1", "agree", "Bene"))
    client.post(save_url("comune", "083048", "A1"), position_post(open_version, "A1", "disagree", "Ci ripensiamo"))
    position = Position.objects.get()
    assert (position.municipality, position.objective, position.stance) == (messina, tree["A1"], "disagree")
    assert position.comment == "Ci ripensiamo" and position.author == mayor_a


def test_office_gives_a_position_for_itself(tree, open_version, login, office_a_user, office_a):
    login(office_a_user).post(save_url("ufficio", "viabilita", "visione"), position_post(open_version, "visione"))
    position = Position.objects.get()
    assert position.office == office_a and position.municipality is None and position.objective is None


def test_mayor_cannot_post_for_another_municipality_by_changing_the_url(tree, open_version, login, mayor_a):
    response = login(mayor_a).post(save_url("comune", "083041", "A1"), position_post(open_version, "A1"))
    assert response.status_code == 403
    assert not Position.objects.exists()


def test_mayor_cannot_post_for_an_office_by_changing_the_url(tree, open_version, login, mayor_a, office_a):
    response = login(mayor_a).post(save_url("ufficio", "viabilita", "A1"), position_post(open_version, "A1"))
    assert response.status_code == 403
    assert not Position.objects.exists()


def test_office_cannot_post_for_another_office(tree, open_version, login, office_a_user, office_b):
    response = login(office_a_user).post(save_url("ufficio", "ambiente", "A1"), position_post(open_version, "A1"))
    assert response.status_code == 403
    assert not Position.objects.exists()


def test_forged_subject_fields_in_the_form_are_ignored(tree, open_version, login, mayor_a, messina, office_a, mayor_b):
    data = position_post(open_version, "A1")
    data.update({"municipality": "083041", "t-A1-municipality": "083041", "office": office_a.pk, "author": mayor_b.pk})
    login(mayor_a).post(save_url("comune", "083048", "A1"), data)
    position = Position.objects.get()
    assert position.municipality == messina and position.office is None and position.author == mayor_a


def test_forged_version_id_is_refused(tree, open_version, login, mayor_a):
    draft = VisionVersionFactory(number=2)
    data = position_post(open_version, "A1")
    data["t-A1-version"] = draft.pk
    response = login(mayor_a).post(save_url("comune", "083048", "A1"), data, follow=True)
    assert "la versione della Visione in consultazione è cambiata" in response.content.decode()
    assert not Position.objects.exists()


@pytest.mark.parametrize("target", ["A", "A1.1", "ZZ9"])
def test_positions_only_on_the_vision_and_general_objectives(tree, open_version, login, mayor_a, target):
    response = login(mayor_a).post(save_url("comune", "083048", target), position_post(open_version, target))
    assert response.status_code == 404
    assert not Position.objects.exists()


def test_unknown_stance_is_a_message_not_an_error(tree, open_version, login, mayor_a):
    response = login(mayor_a).post(
        save_url("comune", "083048", "A1"), position_post(open_version, "A1", "maybe"), follow=True
    )
    assert response.status_code == 200
    assert "Posizione non salvata" in response.content.decode()
    assert not Position.objects.exists()


def test_no_position_when_no_version_is_open(tree, closed_version, listening_now, login, mayor_a):
    response = login(mayor_a).post(save_url("comune", "083048", "A1"), position_post(closed_version, "A1"), follow=True)
    assert "Posizione non salvata" in response.content.decode()
    assert not Position.objects.exists()


@pytest.mark.parametrize("upload", [pdf, odt, docx], ids=["pdf", "odt", "docx"])
def test_documents_recognised_by_content_are_kept_and_served_to_the_owner(tree, open_version, login, mayor_a, upload):
    document = upload()
    client = login(mayor_a)
    client.post(save_url("comune", "083048", "A1"), position_post(open_version, "A1", attachment=document))
    position = Position.objects.get()
    assert position.attachment.name.startswith("private/positions/")
    assert position.attachment.name.endswith(document.name.rsplit(".", 1)[1])
    response = client.get(reverse("phases:position_attachment", args=[position.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (document.seek(0) or document.read())
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "upload,message",
    [
        (fake_pdf, "il contenuto del file non corrisponde"),
        (plain_zip, "il contenuto del file non corrisponde"),
        (big_pdf, "supera i 10 MB"),
    ],
    ids=["exe-named-pdf", "zip-named-docx", "over-10-mb"],
)
def test_documents_are_checked_by_content_and_size(tree, open_version, login, mayor_a, upload, message):
    response = login(mayor_a).post(
        save_url("comune", "083048", "A1"), position_post(open_version, "A1", attachment=upload()), follow=True
    )
    assert message in response.content.decode()
    assert not Position.objects.exists()  # nothing half-saved


def test_size_limit_is_ten_megabytes():
    assert MAX_DOCUMENT_BYTES == 10 * 1024 * 1024


def test_replacing_and_removing_the_document(tree, open_version, login, mayor_a, django_capture_on_commit_callbacks):
    client = login(mayor_a)
    url = save_url("comune", "083048", "A1")
    client.post(url, position_post(open_version, "A1", attachment=pdf()))
    first = Position.objects.get().attachment.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, position_post(open_version, "A1", attachment=odt()))
    position = Position.objects.get()
    assert position.attachment.name != first and position.attachment.name.endswith(".odt")
    assert not position.attachment.storage.exists(first)
    client.post(url, position_post(open_version, "A1", remove_attachment="on"))
    assert not Position.objects.get().attachment


def test_positions_page_shows_the_forms_and_current_positions(tree, open_version, login, mayor_a):
    client = login(mayor_a)
    client.post(save_url("comune", "083048", "A2"), position_post(open_version, "A2", "changes", "Più porti"))
    html = client.get(reverse("phases:positions", args=["comune", "083048"])).content.decode()
    assert "Più porti" in html and "d&#x27;accordo con modifiche" in html
    assert 'action="/area-riservata/posizioni/comune/083048/"' in html and html.count("Salva tutte le posizioni") == 1
    assert "Date finora: 1 su 3." in html


def test_team_reads_positions_without_forms(tree, open_version, login, team_user):
    html = login(team_user).get(reverse("phases:positions", args=["comune", "083048"])).content.decode()
    assert "sola lettura" in html and '<form method="post" enctype' not in html


def test_a_concurrent_first_answer_is_a_message_not_an_error(tree, open_version, mayor_a, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    from phases import services

    def collide(**kwargs):
        raise IntegrityError("one_objective_position_per_municipality")

    monkeypatch.setattr(services, "_position_write", collide)
    with pytest.raises(ValidationError, match="nello stesso momento"):
        services.position_submit(version=open_version, user=mayor_a, objective=tree["A1"], stance="agree")


def test_a_pdf_uploaded_as_hta_downloads_with_the_pdf_extension(tree, open_version, login, mayor_a):
    client = login(mayor_a)
    client.post(save_url("comune", "083048", "A1"), position_post(open_version, "A1", attachment=pdf("evil.hta")))
    position = Position.objects.get()
    assert position.attachment.name.endswith(".pdf")
    response = client.get(reverse("phases:position_attachment", args=[position.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("stance", ["changes", "disagree"])
def test_asking_for_changes_or_disagreeing_needs_a_comment(tree, open_version, login, mayor_a, stance):
    response = login(mayor_a).post(
        save_url("comune", "083048", "A1"), position_post(open_version, "A1", stance, "   "), follow=True
    )
    assert "Scrivi nel commento che cosa andrebbe cambiato" in response.content.decode()
    assert not Position.objects.exists()


def test_the_service_refuses_a_missing_comment_too(tree, open_version, mayor_a):
    from django.core.exceptions import ValidationError

    from phases import services

    with pytest.raises(ValidationError, match="che cosa andrebbe cambiato"):
        services.position_submit(version=open_version, user=mayor_a, objective=None, stance="disagree", comment="")
    assert services.position_submit(version=open_version, user=mayor_a, objective=None, stance="agree").pk


def test_the_page_shows_the_vision_and_each_objective_beside_its_form(tree, open_version, login, mayor_a):
    tree["A1"].description = "Strade e collegamenti verso i borghi"
    tree["A1"].save()
    html = login(mayor_a).get(reverse("phases:positions", args=["comune", "083048"])).content.decode()
    vision_at, vision_form_at = html.index(open_version.text), html.index('name="t-visione-stance"')
    a1_text_at, a1_form_at = html.index("Strade e collegamenti verso i borghi"), html.index('name="t-A1-stance"')
    assert html.index('id="posizione-visione"') < vision_at < vision_form_at < html.index('id="posizione-A1"')
    assert html.index('id="posizione-A1"') < a1_text_at < a1_form_at


def test_one_button_saves_every_position_and_keeps_the_refused_ones_with_their_error(
    tree, open_version, login, mayor_a
):
    url = reverse("phases:positions", args=["comune", "083048"])
    data = {
        **position_post(open_version, "visione", "agree", ""),
        **position_post(open_version, "A1", "disagree", ""),  # no comment: refused
        **position_post(open_version, "A2", "changes", "Più collegamenti con le Eolie"),
    }
    response = login(mayor_a).post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert dict(Position.objects.values_list("objective__code", "stance")) == {None: "agree", "A2": "changes"}
    assert "Posizioni salvate: 2." in html and "Posizioni non salvate: 1." in html
    a1 = html[html.index('id="posizione-A1"') : html.index('id="posizione-A2"')]
    assert "Scrivi nel commento che cosa andrebbe cambiato" in a1
    assert 'value="disagree" checked' in a1 or "checked" in a1.split('value="disagree"')[1][:40]
    data["t-A1-comment"] = "Manca la strada per Novara di Sicilia"
    response = login(mayor_a).post(url, data)
    assert response.status_code == 302 and Position.objects.count() == 3
    assert Position.objects.get(objective=tree["A1"]).comment == "Manca la strada per Novara di Sicilia"


def test_saving_again_without_changes_writes_nothing(tree, open_version, login, mayor_a):
    from psm_portal.audit.models import AuditEvent

    url = reverse("phases:positions", args=["comune", "083048"])
    client = login(mayor_a)
    client.post(url, position_post(open_version, "A1", "agree", "Bene"))
    client.post(url, position_post(open_version, "A1", "agree", "Bene"))
    assert AuditEvent.objects.filter(action="position.submit").count() == 1


@pytest.mark.parametrize(
    "who", ["anonymous", "team_user", "mayor_b", "office_a_user", "council_user", "stakeholder_user"]
)
def test_nobody_else_saves_a_comunes_positions_with_the_one_button(
    tree, open_version, login, cast, office_a, office_b, who
):
    response = login(cast(who)).post(
        reverse("phases:positions", args=["comune", "083048"]), position_post(open_version, "A1", "agree")
    )
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert not Position.objects.exists()


def test_after_the_deadline_the_one_button_saves_nothing_and_says_why(tree, open_version, login, mayor_a):
    from datetime import timedelta

    from django.utils import timezone

    open_version.deadline = timezone.now() - timedelta(minutes=1)
    open_version.save()
    response = login(mayor_a).post(
        reverse("phases:positions", args=["comune", "083048"]), position_post(open_version, "A1", "agree")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Posizioni non salvate: 1." in html and "scaduto" in html
    assert not Position.objects.exists()
