"""Every gated action, for every role, before, inside and after each phase (frozen time)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from phases.factories import VisionVersionFactory
from phases.models import Need, Phase, Position, VisionStatus
from phases.phases import PHASE_FEATURES, Feature, PhaseKey
from phases.predicates import gate, is_open
from tests.conftest import CAST
from tests.phases.conftest import MOMENTS, ROME, position_post

pytestmark = pytest.mark.django_db

PHASE_AT = {"before": None, "listening": "listening", "agenda": "agenda", "final": "final", "after": None}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("feature", Feature.values)
def test_feature_is_open_only_inside_the_phases_that_open_it(calendar, moment, feature):
    with time_machine.travel(MOMENTS[moment], tick=False):
        phase = Phase.objects.active_at(timezone.now()).first()
        assert (phase.key if phase else None) == PHASE_AT[moment]
        expected = PHASE_AT[moment] is not None and feature in PHASE_FEATURES[PHASE_AT[moment]]
        assert is_open(feature) is expected
        status = gate(feature)
        assert status.open is expected
        if not expected:
            # A clear message with dates, never an empty refusal.
            assert "/20" in status.message


def test_gate_message_names_the_dates_before_and_after(calendar):
    with time_machine.travel(MOMENTS["before"], tick=False):
        message = gate(Feature.REVIEW_VISION).message
        assert "Ascolto e Schema generale" in message and "01/01/2027" in message and "01/04/2027" in message
    with time_machine.travel(MOMENTS["agenda"], tick=False):
        message = gate(Feature.REVIEW_VISION).message
        assert "si è chiusa il 01/04/2027" in message


def test_phase_boundaries_are_start_inclusive_end_exclusive(calendar):
    with time_machine.travel(datetime(2027, 4, 1, 0, 0, tzinfo=ROME), tick=False):
        assert Phase.objects.active_at(timezone.now()).get().key == PhaseKey.AGENDA
        assert not is_open(Feature.SEND_NEEDS)
    with time_machine.travel(datetime(2027, 3, 31, 23, 59, 59, tzinfo=ROME), tick=False):
        assert Phase.objects.active_at(timezone.now()).get().key == PhaseKey.LISTENING
        assert is_open(Feature.SEND_NEEDS)


# Who speaks where: the subject each member of the cast would post for (their own, where they have one).
OWN_SUBJECT = {
    "mayor_a": ("comune", "083048"),
    "mayor_b": ("comune", "083041"),
    "office_a_user": ("ufficio", "viabilita"),
    "office_b_user": ("ufficio", "ambiente"),
}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("who", CAST)
def test_review_vision_for_each_role_and_moment(calendar, login, cast, office_a, office_b, moment, who):
    version = VisionVersionFactory(
        number=1, status=VisionStatus.OPEN, deadline=datetime(2028, 1, 1, tzinfo=ROME), opened_at=MOMENTS["before"]
    )
    user = cast(who)
    kind, key = OWN_SUBJECT.get(who, ("comune", "083048"))
    with time_machine.travel(MOMENTS[moment], tick=False):
        client = login(user)
        response = client.post(
            reverse("phases:position_save", args=[kind, key, "visione"]), position_post(version, "visione")
        )
        saved = Position.objects.filter(version=version).exists()
        may_speak = who in OWN_SUBJECT
        if user is None:
            assert response.status_code == 302 and "/accedi/" in response["Location"]
        elif not may_speak:
            assert response.status_code == 403
        else:
            assert response.status_code == 302
        assert saved is (may_speak and moment == "listening")
        if may_speak and moment != "listening":
            page = client.get(response["Location"])
            assert "Non è più possibile" in page.content.decode() or "Ora non è possibile" in page.content.decode()


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("who", CAST)
def test_send_needs_for_each_role_and_moment(calendar, login, cast, moment, who):
    user = cast(who)
    with time_machine.travel(MOMENTS[moment], tick=False):
        client = login(user)
        response = client.post(
            reverse("phases:need_create"),
            {"title": "Strada franata", "description": "Serve un intervento.", "theme": "mobility"},
        )
        created = Need.objects.exists()
        if user is None:
            assert response.status_code == 302 and "/accedi/" in response["Location"]
        elif who in ("mayor_a", "mayor_b"):
            if moment == "listening":
                assert response.status_code == 302
            else:
                assert response.status_code == 403
                assert "01/01/2027" in response.content.decode()  # the dates, not a bare 403
        else:
            assert response.status_code == 403
        assert created is (who in ("mayor_a", "mayor_b") and moment == "listening")


@pytest.mark.parametrize("moment", MOMENTS)
def test_team_opens_a_review_only_in_listening(calendar, login, team_user, moment):
    version = VisionVersionFactory(number=1)
    with time_machine.travel(MOMENTS[moment], tick=False):
        client = login(team_user)
        client.post(reverse("phases:version_open", args=[version.pk]), {"deadline": "2027-12-31T12:00"})
    version.refresh_from_db()
    assert (version.status == VisionStatus.OPEN) is (moment == "listening")


def test_positions_close_at_the_deadline_even_inside_the_phase(calendar, login, mayor_a):
    version = VisionVersionFactory(
        number=1, status=VisionStatus.OPEN, deadline=datetime(2027, 2, 15, 12, tzinfo=ROME), opened_at=MOMENTS["before"]
    )
    url = reverse("phases:position_save", args=["comune", "083048", "visione"])
    with time_machine.travel(datetime(2027, 2, 15, 11, 59, tzinfo=ROME), tick=False):
        login(mayor_a).post(url, position_post(version, "visione", "agree"))
    with time_machine.travel(datetime(2027, 2, 15, 12, 0, tzinfo=ROME), tick=False):
        response = login(mayor_a).post(url, position_post(version, "visione", "disagree"), follow=True)
        assert "Il termine per le posizioni su questa versione è scaduto il 15/02/2027" in response.content.decode()
    assert Position.objects.get().stance == "agree"


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("who", CAST)
def test_allowed_for_each_feature_role_and_moment(calendar, cast, office_a, office_b, moment, who):
    from django.contrib.auth.models import AnonymousUser

    from phases.phases import CITIZEN, FEATURE_ROLES
    from phases.predicates import allowed_for

    user = cast(who) or AnonymousUser()
    with time_machine.travel(MOMENTS[moment], tick=False):
        for feature in Feature.values:
            phase = PHASE_AT[moment]
            in_phase = phase is not None and feature in PHASE_FEATURES[phase]
            roles = FEATURE_ROLES[feature]
            takes_part = CITIZEN in roles or getattr(user, "role", None) in roles
            assert allowed_for(user, feature) is (in_phase and takes_part), (feature, who, moment)


@pytest.mark.parametrize("who", CAST)
@pytest.mark.parametrize("feature", Feature.values)
def test_phase_required_also_lets_in_only_the_roles_of_the_feature(
    calendar, rf, cast, office_a, office_b, feature, who
):
    """The roles are declared once, in FEATURE_ROLES: a view with only ``phase_required`` enforces them."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from phases.phases import CITIZEN, FEATURE_ROLES
    from phases.predicates import phase_required

    view = phase_required(feature)(lambda request: HttpResponse("ok"))
    request = rf.get("/")
    request.user = cast(who) or AnonymousUser()
    roles = FEATURE_ROLES[feature]
    phase = next(key for key, features in PHASE_FEATURES.items() if feature in features)
    with time_machine.travel(MOMENTS[phase], tick=False):
        if CITIZEN in roles or getattr(request.user, "role", None) in roles:
            assert view(request).status_code == 200
        elif who == "anonymous":
            response = view(request)
            assert response.status_code == 302 and "/accedi/" in response["Location"]
        else:
            with pytest.raises(PermissionDenied):
                view(request)


def test_phase_dates_are_kept_in_the_process_for_a_few_seconds(
    calendar, settings, django_assert_num_queries, monkeypatch
):
    """Every gated request asks for the phases: each process reads their dates once per few seconds."""
    from phases.models import Phase
    from psm_portal.lib import memo

    settings.PHASE_CACHE_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])
    with time_machine.travel(MOMENTS["listening"], tick=False):
        with django_assert_num_queries(1):
            assert is_open(Feature.SEND_NEEDS)
            assert is_open(Feature.ANSWER_QUESTIONNAIRE)
        # A change made elsewhere (no signal here) is seen once the seconds have passed ...
        Phase.objects.filter(key=PhaseKey.LISTENING).update(ends_at=datetime(2027, 1, 15, tzinfo=ROME))
        with django_assert_num_queries(0):
            assert is_open(Feature.SEND_NEEDS)
        clock[0] += 5
        with django_assert_num_queries(1):
            assert not is_open(Feature.SEND_NEEDS)
        # ... and one saved in this process at once.
        listening = Phase.objects.get(key=PhaseKey.LISTENING)
        listening.ends_at = datetime(2027, 3, 1, tzinfo=ROME)
        listening.save()
        assert is_open(Feature.SEND_NEEDS)
