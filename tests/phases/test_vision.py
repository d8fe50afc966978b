"""Vision versions, the objectives tree, phase management and the e-mail when a review opens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phases.factories import VisionVersionFactory
from phases.models import Indicator, Objective, Phase, VisionStatus, VisionVersion
from phases.phases import PhaseKey
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST

pytestmark = pytest.mark.django_db


def test_text_is_sanitised_on_save(login, team_user):
    login(team_user).post(
        reverse("phases:version_create"),
        {
            "title": "Bozza",
            "text": '<p onclick="x()">Ciao<script>alert(1)</script> <a href="javascript:x">link</a></p>',
        },
    )
    version = VisionVersion.objects.get()
    assert version.text.startswith("<p>Ciao") and "script" not in version.text and "onclick" not in version.text
    assert "javascript" not in version.text and version.number == 1 and version.is_draft


def test_lifecycle_draft_open_closed_adopted_with_audit_and_e_mail(
    login, team_user, mayor_a, office_a_user, council_user, listening_now, django_capture_on_commit_callbacks
):
    version = VisionVersionFactory(number=1)
    client = login(team_user)
    deadline = timezone.localtime(timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("phases:version_open", args=[version.pk]), {"deadline": deadline})
    version.refresh_from_db()
    assert version.status == VisionStatus.OPEN and version.notified_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["mayor.a@test.local", "office.a@test.local"]
    assert "/area-riservata/posizioni/" in mail.outbox[0].body and deadline[:4] in mail.outbox[0].subject
    page = client.post(reverse("phases:version_close", args=[version.pk])).content.decode()
    assert "Chiudere la consultazione sulla versione 1?" in page and "diventano pubbliche" in page
    version.refresh_from_db()
    assert version.is_open  # asked first, nothing changed
    client.post(reverse("phases:version_close", args=[version.pk]), {"conferma": "1"})
    page = client.post(reverse("phases:version_adopt", args=[version.pk])).content.decode()
    assert "Adottare la versione 1 della Visione?" in page
    version.refresh_from_db()
    assert version.status == VisionStatus.CLOSED
    client.post(reverse("phases:version_adopt", args=[version.pk]), {"conferma": "1"})
    version.refresh_from_db()
    assert version.status == VisionStatus.ADOPTED and version.adopted_at
    actions = list(AuditEvent.objects.for_object(version).order_by("at", "id").values_list("action", flat=True))
    assert actions == ["vision.open", "vision.close", "vision.adopt"]


def test_notification_is_sent_once_per_version(mayor_a, listening_now):
    from phases.services import version_notify

    version = VisionVersionFactory(number=1, open_for_review=True)
    assert version_notify(version=version) == 1
    assert version_notify(version=version) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_leaves_the_notification_to_the_retry(
    mayor_a, mayor_b, office_a_user, listening_now, monkeypatch
):
    """A mail server that fails half-way must not leave the others without the e-mail."""
    from smtplib import SMTPException

    from django.core.mail.backends.locmem import EmailBackend

    from phases.services import version_notify

    version = VisionVersionFactory(number=1, open_for_review=True)
    real = EmailBackend.send_messages

    def fail_after_one(self, messages):
        real(self, messages[:1])
        raise SMTPException("connessione caduta")

    monkeypatch.setattr(EmailBackend, "send_messages", fail_after_one)
    with pytest.raises(SMTPException):
        version_notify(version=version)
    version.refresh_from_db()
    assert version.notified_at is None
    monkeypatch.undo()
    assert version_notify(version=version) == 3
    assert {m.to[0] for m in mail.outbox} == {"mayor.a@test.local", "mayor.b@test.local", "office.a@test.local"}


def test_an_opened_version_keeps_its_text(login, team_user, open_version):
    text = open_version.text
    response = login(team_user).post(
        reverse("phases:version_edit", args=[open_version.pk]), {"title": "Nuovo", "text": "<p>cambiato</p>"}
    )
    assert response.status_code == 302
    open_version.refresh_from_db()
    assert open_version.text == text


def test_only_one_version_open_at_a_time(login, team_user, open_version):
    draft = VisionVersionFactory(number=2)
    deadline = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = login(team_user).post(
        reverse("phases:version_open", args=[draft.pk]), {"deadline": deadline}, follow=True
    )
    assert "C&#x27;è già una versione aperta" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft


def test_deadline_in_the_past_is_refused_with_a_message(login, team_user, listening_now):
    draft = VisionVersionFactory(number=1)
    response = login(team_user).post(
        reverse("phases:version_open", args=[draft.pk]), {"deadline": "2001-01-01T10:00"}, follow=True
    )
    assert "deve essere nel futuro" in response.content.decode()
    response = login(team_user).post(
        reverse("phases:version_open", args=[draft.pk]), {"deadline": "domani"}, follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.is_draft


def test_opening_outside_the_listening_phase_asks_the_gate_once(team_user, calendar, monkeypatch):
    import time_machine
    from django.core.exceptions import ValidationError

    from phases import services
    from phases.predicates import gate
    from tests.phases.conftest import MOMENTS

    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return gate(*args, **kwargs)

    monkeypatch.setattr(services, "gate", counted)
    version = VisionVersionFactory(number=1)
    with time_machine.travel(MOMENTS["agenda"], tick=False):
        with pytest.raises(ValidationError, match="si è chiusa il 01/04/2027"):
            services.vision_version_open(version=version, actor=team_user, deadline=timezone.now() + timedelta(days=9))
    assert len(calls) == 1


def test_new_version_starts_from_the_last_text_and_diff_shows_changes(login, team_user, client):
    VisionVersionFactory(number=1, status=VisionStatus.ADOPTED, text="<p>Messina ponte tra Sicilia e continente.</p>")
    team = login(team_user)
    form = team.get(reverse("phases:version_create")).context["form"]
    assert form.initial["text"].startswith("<p>Messina ponte")
    team.post(reverse("phases:version_create"), {"title": "v2", "text": "<p>Messina ponte tra Sicilia ed Europa.</p>"})
    v2 = VisionVersion.objects.get(number=2)
    v2.status = VisionStatus.CLOSED
    v2.save()
    html = client.get(reverse("phases:vision_diff"), {"da": 1, "a": 2}).content.decode()
    assert "<del>" in html and "continente." in html and "<ins>" in html and "Europa." in html


def test_diff_of_a_draft_is_hidden_from_the_public_and_bad_input_redirects(client):
    VisionVersionFactory(number=1, status=VisionStatus.ADOPTED)
    VisionVersionFactory(number=2)
    assert client.get(reverse("phases:vision_diff"), {"da": 1, "a": 2}).status_code == 404
    assert client.get(reverse("phases:vision_diff"), {"da": "x", "a": "'"}).status_code == 302


def test_vision_page_shows_the_open_version_and_the_tree(client, tree, open_version):
    VisionVersionFactory(number=5, status=VisionStatus.ADOPTED, title="Vecchia")
    html = client.get(reverse("phases:vision")).content.decode()
    assert open_version.title in html and "Vecchia" not in html
    assert 'href="/visione/obiettivi/A1.1/"' in html and "Continuità con le isole" in html


def test_objective_page_has_a_stable_url_with_indicators_and_breadcrumbs(client, tree):
    html = client.get("/visione/obiettivi/A1.1/").content.decode()
    assert "Strade riqualificate" in html and "180,00" in html and 'href="/visione/obiettivi/A1/"' in html
    assert client.get("/visione/obiettivi/Z9/").status_code == 404


def test_objective_page_reads_only_its_own_indicators(client, tree):
    """The children are listed by code and title: their indicators are not read."""
    with CaptureQueriesContext(connection) as context:
        html = client.get("/visione/obiettivi/A1/").content.decode()
    assert 'href="/visione/obiettivi/A1.1/"' in html and "Strade riqualificate" not in html
    reads = [q["sql"] for q in context.captured_queries if 'FROM "phases_indicator"' in q["sql"]]
    assert len(reads) == 1, reads


def test_team_builds_the_tree_with_indicators(login, team_user, tree):
    client = login(team_user)
    data = {
        "parent": tree["A2"].pk,
        "code": "A2.1",
        "order": 1,
        "title": "Porti accessibili",
        "description": "",
        "indicatori-TOTAL_FORMS": 1,
        "indicatori-INITIAL_FORMS": 0,
        "indicatori-0-name": "Approdi adeguati",
        "indicatori-0-unit": "n.",
        "indicatori-0-baseline": "4",
        "indicatori-0-target": "12",
        "indicatori-0-year": "2028",
        "indicatori-0-order": "1",
    }
    assert client.post(reverse("phases:objective_create"), data).status_code == 302
    created = Objective.objects.get(code="A2.1")
    assert created.level == 3 and created.parent == tree["A2"] and created.sort_key == "0001.0002.0001"
    assert Indicator.objects.get(objective=created).target == 12


def _objective_post(**indicator) -> dict:
    data = {
        "parent": "",
        "code": "B",
        "order": 2,
        "title": "Ambiente",
        "description": "",
        "indicatori-TOTAL_FORMS": 1,
        "indicatori-INITIAL_FORMS": 0,
    }
    data.update({f"indicatori-0-{key}": value for key, value in indicator.items()})
    return data


def test_objective_and_indicators_are_saved_and_logged_together(login, team_user, tree):
    client = login(team_user)
    data = _objective_post(name="Aree protette", unit="ha", order=1)
    assert client.post(reverse("phases:objective_create"), data).status_code == 302
    created = Objective.objects.get(code="B")
    event = AuditEvent.objects.for_object(created).get()
    assert event.action == "objective.create" and event.actor == team_user
    assert event.after["indicators"] == {"added": ["Aree protette"], "changed": [], "deleted": []}


def test_an_indicator_that_cannot_be_written_leaves_no_objective_behind(team_user, tree, monkeypatch):
    from django.db import DatabaseError

    from phases import services
    from phases.forms import IndicatorFormSet, ObjectiveForm

    data = _objective_post(name="Aree protette", unit="ha", order=1)
    form = ObjectiveForm(data, instance=Objective())
    formset = IndicatorFormSet(data, instance=form.instance, prefix="indicatori")
    assert form.is_valid() and formset.is_valid()

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Indicator, "save", broken)
    with pytest.raises(DatabaseError):
        services.objective_save(objective=form.save(commit=False), indicators_formset=formset, actor=team_user)
    assert not Objective.objects.filter(code="B").exists()
    assert not AuditEvent.objects.filter(action="objective.create").exists()


@pytest.mark.parametrize(
    "parent,code",
    [(None, "A1"), ("A", "B1"), ("A", "A1.3"), ("A1", "A13"), (None, "a")],
)
def test_codes_follow_the_tree(login, team_user, tree, parent, code):
    data = {"code": code, "order": 3, "title": "X", "indicatori-TOTAL_FORMS": 0, "indicatori-INITIAL_FORMS": 0}
    if parent:
        data["parent"] = tree[parent].pk
    response = login(team_user).post(reverse("phases:objective_create"), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Objective.objects.filter(code=code).exists() or code == "A1"


def test_reordering_an_axis_reorders_its_descendants(login, team_user, tree):
    data = {
        "order": 7,
        "title": "Connessioni",
        "description": "",
        "indicatori-TOTAL_FORMS": 0,
        "indicatori-INITIAL_FORMS": 0,
    }
    login(team_user).post(reverse("phases:objective_edit", args=[tree["A"].pk]), data)
    assert Objective.objects.get(code="A1.1").sort_key == "0007.0001.0001"
    assert Objective.objects.get(code="A").code == "A"  # the code (and the URL) did not change


def test_reordering_rewrites_the_descendants_keys_in_one_update(team_user, tree):
    from phases import services
    from phases.factories import ObjectiveFactory

    for general in (tree["A1"], tree["A2"]):
        for order in range(2, 6):
            ObjectiveFactory(code=f"{general.code}.{order}", parent=general, order=order)
    other = ObjectiveFactory(code="B", order=2)
    ObjectiveFactory(code="B1", parent=other, order=1)
    axis = Objective.objects.get(code="A")
    axis.order = 7
    with CaptureQueriesContext(connection) as context:
        services.objective_save(objective=axis, actor=team_user)
    tree_queries = [q["sql"] for q in context.captured_queries if '"phases_objective"' in q["sql"]]
    # The stored key, the node, then its eleven descendants at once.
    assert len(tree_queries) == 3, tree_queries
    keys = dict(Objective.objects.values_list("code", "sort_key"))
    assert keys["A"] == "0007" and keys["A1"] == "0007.0001" and keys["A2"] == "0007.0002"
    assert keys["A1.1"] == "0007.0001.0001" and keys["A2.5"] == "0007.0002.0005"
    assert keys["B"] == "0002" and keys["B1"] == "0002.0001"  # another axis is not touched
    assert [o.code for o in Objective.objects.in_tree_order()][:3] == ["B", "B1", "A"]


def test_the_factory_keys_objectives_with_the_models_rule(db, monkeypatch):
    from phases.factories import ObjectiveFactory

    axis = ObjectiveFactory(code="A", order=3)
    assert ObjectiveFactory(code="A1", parent=axis, order=2).sort_key == "0003.0002"
    monkeypatch.setattr(Objective, "compute_sort_key", lambda self: f"k{self.order}")
    assert ObjectiveFactory(code="B", order=4).sort_key == "k4"


def test_team_closes_and_extends_a_phase_with_the_audit_log(login, team_user, listening_now):
    client = login(team_user)
    listening = Phase.objects.get(key=PhaseKey.LISTENING)
    agenda = Phase.objects.get(key=PhaseKey.AGENDA)
    new_end = timezone.localtime(agenda.starts_at).strftime("%Y-%m-%dT%H:%M")
    start = timezone.localtime(listening.starts_at).strftime("%Y-%m-%dT%H:%M")
    prefix = f"fase-{listening.pk}"
    client.post(reverse("phases:phase_close", args=[listening.pk]), {"conferma": "1"})
    listening.refresh_from_db()
    assert not listening.is_active()
    client.post(
        reverse("phases:phase_dates", args=[listening.pk]), {f"{prefix}-starts_at": start, f"{prefix}-ends_at": new_end}
    )
    listening.refresh_from_db()
    assert listening.is_active()
    events = list(AuditEvent.objects.for_object(listening).order_by("at", "id"))
    assert [e.action for e in events] == ["phase.close", "phase.reschedule"]
    assert events[0].actor == team_user and events[0].before["ends_at"] != events[0].after["ends_at"]
    html = client.get(reverse("phases:manage")).content.decode()
    assert "Teresa Team" in html


def test_each_draft_gets_the_deadline_field_of_the_open_review_form(login, team_user, listening_now):
    """The deadline input is the form's own field (its widget, its label), with ids unique on the page."""
    import re

    drafts = [VisionVersionFactory(number=1), VisionVersionFactory(number=2)]
    html = login(team_user).get(reverse("phases:manage_vision")).content.decode()
    for draft in drafts:
        field_id = f"versione-{draft.pk}-deadline"
        assert re.search(rf'<label\s+for="{field_id}"[^>]*>\s*Termine per le posizioni', html), field_id
        (tag,) = re.findall(rf'<input [^>]*id="{field_id}"[^>]*>', html)
        assert 'type="datetime-local"' in tag and 'name="deadline"' in tag and "required" in tag


def test_the_phases_page_reads_the_phases_once(login, team_user, listening_now):
    client = login(team_user)
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("phases:manage")).status_code == 200
    reads = [q["sql"] for q in context.captured_queries if 'FROM "phases_phase"' in q["sql"]]
    assert len(reads) == 1, reads


def test_overlapping_dates_propose_to_move_the_other_phases_and_change_nothing_yet(login, team_user, listening_now):
    listening = Phase.objects.get(key=PhaseKey.LISTENING)
    final = Phase.objects.get(key=PhaseKey.FINAL)
    prefix = f"fase-{listening.pk}"
    response = login(team_user).post(
        reverse("phases:phase_dates", args=[listening.pk]),
        {
            f"{prefix}-starts_at": timezone.localtime(listening.starts_at).strftime("%Y-%m-%dT%H:%M"),
            f"{prefix}-ends_at": timezone.localtime(final.ends_at).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    html = response.content.decode()
    assert "Spostare anche le altre fasi?" in html and "La fase «Piano finale» si sposta" in html
    assert not AuditEvent.objects.exists()


def test_timeline_shows_the_active_phase_and_who_can_do_what(client, listening_now):
    html = client.get(reverse("phases:timeline")).content.decode()
    assert "È in corso la fase «Ascolto e Schema generale»" in html
    assert "Inviare le istanze del comune" in html and "Sindaco o delegato comunale" in html
    assert "Chi può fare che cosa, adesso" in html


def test_diff_keeps_paragraphs_whatever_the_source_line_breaks():
    from phases.diffing import plain_paragraphs, word_diff

    assert plain_paragraphs("<p>uno\n due</p><p>tre &amp; quattro</p>") == ["uno due", "tre & quattro"]
    paragraphs = word_diff("<p>a b c</p>", "<p>a x c</p><p>nuovo</p>")
    assert [[(c.op, c.text) for c in p] for p in paragraphs] == [
        [("equal", "a"), ("delete", "b"), ("insert", "x"), ("equal", "c")],
        [("insert", "nuovo")],
    ]


def test_objective_page_shows_totals_of_the_closed_review_only(client, tree, messina, lipari):
    from phases.factories import PositionFactory

    closed = VisionVersionFactory(number=1, status=VisionStatus.CLOSED)
    PositionFactory(version=closed, municipality=messina, objective=tree["A1"], stance="disagree")
    PositionFactory(version=closed, municipality=lipari, objective=tree["A1"], stance="disagree")
    PositionFactory(
        version=VisionVersionFactory(number=2, open_for_review=True), municipality=messina, objective=tree["A1"]
    )
    response = client.get("/visione/obiettivi/A1/")
    assert dict(response.context["stances"])["in disaccordo"] == 2
    assert dict(response.context["stances"])["d'accordo"] == 0


def test_bad_phase_dates_are_a_message_and_change_nothing(login, team_user, listening_now):
    listening = Phase.objects.get(key=PhaseKey.LISTENING)
    before = (listening.starts_at, listening.ends_at)
    prefix = f"fase-{listening.pk}"
    response = login(team_user).post(
        reverse("phases:phase_dates", args=[listening.pk]),
        {f"{prefix}-starts_at": "ieri", f"{prefix}-ends_at": "2027-13-45T99:99"},
        follow=True,
    )
    assert response.status_code == 200 and "Date non valide" in response.content.decode()
    listening.refresh_from_db()
    assert (listening.starts_at, listening.ends_at) == before and not AuditEvent.objects.exists()


def test_team_edits_a_draft(login, team_user):
    draft = VisionVersionFactory(number=1)
    login(team_user).post(
        reverse("phases:version_edit", args=[draft.pk]), {"title": "Rivista", "text": "<p>Nuovo <em>testo</em></p>"}
    )
    draft.refresh_from_db()
    assert draft.title == "Rivista" and draft.text == "<p>Nuovo <em>testo</em></p>"


def test_the_admin_corrects_objective_texts_but_does_not_build_the_tree(login, team_user):
    from phases.factories import ObjectiveFactory

    axis = ObjectiveFactory(order=1, title="Territorio")
    team = login(team_user)
    assert team.get(reverse("admin:phases_objective_add")).status_code == 403
    change = reverse("admin:phases_objective_change", args=[axis.pk])
    assert team.get(change).status_code == 200
    team.post(change, {"title": "Territorio connesso", "description": "", "order": "7",
                       "indicators-TOTAL_FORMS": "0", "indicators-INITIAL_FORMS": "0"})  # fmt: skip
    axis.refresh_from_db()
    assert (axis.title, axis.order, axis.sort_key) == ("Territorio connesso", 1, "0001")


@pytest.mark.parametrize(
    "model,field,label",
    [
        ("Reminder", "user", "sindaco"),
        ("Reminder", "version", "versione"),
        ("Reminder", "day", "giorno"),
        ("Reminder", "sent_at", "inviato il"),
        ("VisionVersion", "notified_at", "notificata il"),
        ("Objective", "sort_key", "chiave di ordinamento"),
    ],
)
def test_fields_have_italian_names(model, field, label):
    from django.apps import apps

    assert str(apps.get_model("phases", model)._meta.get_field(field).verbose_name) == label


@pytest.mark.parametrize("who", [w for w in CAST if w != "team_user"])
def test_the_diff_page_without_a_choice_compares_the_latest_two_versions(login, cast, office_a, office_b, who):
    VisionVersionFactory(number=1, status=VisionStatus.ADOPTED, text="<p>Uno.</p>")
    VisionVersionFactory(number=2, status=VisionStatus.ADOPTED, text="<p>Due.</p>")
    VisionVersionFactory(number=3, status=VisionStatus.CLOSED, text="<p>Tre.</p>")
    VisionVersionFactory(number=4)  # a draft: only the team compares it
    response = login(cast(who)).get(reverse("phases:vision_diff"))
    html = response.content.decode()
    assert response.status_code == 200 and "Differenze tra la versione 2 e la versione 3" in html
    assert 'name="da"' in html and '<option value="3" selected>' in html


def test_the_team_compares_the_latest_draft_too(login, team_user):
    VisionVersionFactory(number=1, status=VisionStatus.ADOPTED)
    VisionVersionFactory(number=2)
    html = login(team_user).get(reverse("phases:vision_diff")).content.decode()
    assert "Differenze tra la versione 1 e la versione 2" in html


def test_the_diff_page_with_a_single_version_says_why_there_is_nothing_to_compare(client):
    VisionVersionFactory(number=1, status=VisionStatus.ADOPTED)
    response = client.get(reverse("phases:vision_diff"), follow=True)
    assert "servono almeno due versioni" in response.content.decode()
