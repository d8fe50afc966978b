"""The process never stalls: closing a phase starts the next one in the same confirmed act, and new dates that
would overlap other phases move them (after a confirmation that lists the moves) instead of failing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from phases.models import Phase
from phases.phases import PhaseKey
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST

pytestmark = pytest.mark.django_db


def _phases() -> dict[str, Phase]:
    return {p.key: p for p in Phase.objects.all()}


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_closing_asks_first_and_changes_nothing(login, team_user, listening_now):
    before = {p.key: (p.starts_at, p.ends_at) for p in Phase.objects.all()}
    listening = _phases()[PhaseKey.LISTENING]
    response = login(team_user).post(reverse("phases:phase_close", args=[listening.pk]), {"avvia_successiva": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "Chiudere ora la fase «Ascolto e Schema generale»?" in html
    assert "La fase «Agenda strategica» inizia adesso" in html and 'name="avvia_successiva" value="1"' in html
    assert 'name="conferma" value="1"' in html
    assert {p.key: (p.starts_at, p.ends_at) for p in Phase.objects.all()} == before
    assert not AuditEvent.objects.exists()


def test_closing_a_phase_starts_the_next_one_now_in_one_audited_act(login, team_user, listening_now, client):
    phases = _phases()
    agenda_end = phases[PhaseKey.AGENDA].ends_at
    login(team_user).post(
        reverse("phases:phase_close", args=[phases[PhaseKey.LISTENING].pk]), {"avvia_successiva": "1", "conferma": "1"}
    )
    phases = _phases()
    assert not phases[PhaseKey.LISTENING].is_active() and phases[PhaseKey.AGENDA].is_active()
    assert phases[PhaseKey.AGENDA].starts_at == phases[PhaseKey.LISTENING].ends_at
    assert phases[PhaseKey.AGENDA].ends_at == agenda_end
    assert list(AuditEvent.objects.order_by("id").values_list("action", "object_repr")) == [
        ("phase.close", "Ascolto e Schema generale"),
        ("phase.start", "Agenda strategica"),
    ]
    client.logout()
    assert "È in corso la fase «Agenda strategica»" in client.get(reverse("phases:timeline")).content.decode()


def test_closing_without_starting_the_next_leaves_a_gap(login, team_user, listening_now):
    phases = _phases()
    login(team_user).post(reverse("phases:phase_close", args=[phases[PhaseKey.LISTENING].pk]), {"conferma": "1"})
    assert not any(p.is_active() for p in Phase.objects.all())
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["phase.close"]


def test_the_last_phase_has_no_next_to_start(login, team_user, listening_now):
    now = timezone.now()
    Phase.objects.filter(key=PhaseKey.LISTENING).update(
        starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=20)
    )
    Phase.objects.filter(key=PhaseKey.AGENDA).update(
        starts_at=now - timedelta(days=20), ends_at=now - timedelta(days=10)
    )
    Phase.objects.filter(key=PhaseKey.FINAL).update(
        starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=10)
    )
    final = _phases()[PhaseKey.FINAL]
    response = login(team_user).post(
        reverse("phases:phase_close", args=[final.pk]), {"avvia_successiva": "1", "conferma": "1"}, follow=True
    )
    assert "una fase successiva da avviare" in response.content.decode()
    final.refresh_from_db()
    assert final.is_active() and not AuditEvent.objects.exists()


def test_moving_the_next_phase_earlier_proposes_to_end_the_running_one_then_does_it(login, team_user, listening_now):
    phases = _phases()
    agenda = phases[PhaseKey.AGENDA]
    prefix = f"fase-{agenda.pk}"
    new_start = timezone.now() + timedelta(days=2, minutes=7)  # any minute, not the end of the listening phase
    data = {f"{prefix}-starts_at": _local(new_start), f"{prefix}-ends_at": _local(agenda.ends_at)}
    client = login(team_user)
    page = client.post(reverse("phases:phase_dates", args=[agenda.pk]), data).content.decode()
    assert "Spostare anche le altre fasi?" in page and "La fase «Ascolto e Schema generale» si sposta" in page
    assert _phases()[PhaseKey.LISTENING].ends_at == phases[PhaseKey.LISTENING].ends_at  # nothing yet
    client.post(reverse("phases:phase_dates", args=[agenda.pk]), {**data, "conferma": "1"})
    after = _phases()
    assert after[PhaseKey.LISTENING].ends_at == after[PhaseKey.AGENDA].starts_at
    assert _local(after[PhaseKey.AGENDA].starts_at) == _local(new_start)
    assert AuditEvent.objects.filter(action="phase.reschedule").count() == 2


def test_extending_a_phase_shifts_the_following_ones_keeping_their_lengths(login, team_user, listening_now):
    phases = _phases()
    listening, agenda, final = phases[PhaseKey.LISTENING], phases[PhaseKey.AGENDA], phases[PhaseKey.FINAL]
    prefix = f"fase-{listening.pk}"
    new_end = listening.ends_at + timedelta(days=15)
    login(team_user).post(
        reverse("phases:phase_dates", args=[listening.pk]),
        {f"{prefix}-starts_at": _local(listening.starts_at), f"{prefix}-ends_at": _local(new_end), "conferma": "1"},
    )
    after = _phases()
    assert after[PhaseKey.AGENDA].starts_at == after[PhaseKey.LISTENING].ends_at
    assert after[PhaseKey.AGENDA].ends_at - after[PhaseKey.AGENDA].starts_at == agenda.ends_at - agenda.starts_at
    assert after[PhaseKey.FINAL].ends_at - after[PhaseKey.FINAL].starts_at == final.ends_at - final.starts_at
    assert after[PhaseKey.FINAL].starts_at == after[PhaseKey.AGENDA].ends_at


def test_a_phase_cannot_start_before_the_previous_one_starts(login, team_user, listening_now):
    phases = _phases()
    agenda = phases[PhaseKey.AGENDA]
    prefix = f"fase-{agenda.pk}"
    early = phases[PhaseKey.LISTENING].starts_at - timedelta(days=1)
    response = login(team_user).post(
        reverse("phases:phase_dates", args=[agenda.pk]),
        {f"{prefix}-starts_at": _local(early), f"{prefix}-ends_at": _local(agenda.ends_at), "conferma": "1"},
        follow=True,
    )
    assert "non può iniziare prima" in response.content.decode() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", [w for w in CAST if w != "team_user"])
def test_only_the_team_closes_and_moves_phases_even_confirmed(login, cast, office_a, office_b, listening_now, who):
    phases = _phases()
    listening = phases[PhaseKey.LISTENING]
    client = login(cast(who))
    responses = [
        client.post(reverse("phases:phase_close", args=[listening.pk]), {"avvia_successiva": "1", "conferma": "1"}),
        client.post(
            reverse("phases:phase_dates", args=[listening.pk]),
            {f"fase-{listening.pk}-starts_at": "2020-01-01T10:00", f"fase-{listening.pk}-ends_at": "2099-01-01T10:00"},
        ),
    ]
    expected = 302 if who == "anonymous" else 403
    assert [r.status_code for r in responses] == [expected, expected]
    assert not AuditEvent.objects.exists()


def test_a_forged_phase_is_a_404(login, team_user, listening_now):
    client = login(team_user)
    assert client.post(reverse("phases:phase_close", args=[999]), {"conferma": "1"}).status_code == 404
    assert client.post(reverse("phases:phase_dates", args=[999]), {}).status_code == 404


def test_the_manage_page_offers_to_start_the_next_phase(login, team_user, listening_now):
    html = login(team_user).get(reverse("phases:manage")).content.decode()
    assert 'name="avvia_successiva"' in html and "Avvia subito la fase «Agenda strategica»" in html
