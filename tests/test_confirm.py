"""The shared confirmation page of irreversible acts (psm_portal.lib.confirm)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed

pytestmark = pytest.mark.django_db


def test_only_a_post_from_the_confirmation_page_is_confirmed():
    factory = RequestFactory()
    assert not confirmed(factory.get("/atto/", {"conferma": "1"}))
    assert not confirmed(factory.post("/atto/", {}))
    assert not confirmed(factory.post("/atto/", {"conferma": "yes"}))
    assert confirmed(factory.post("/atto/", {"conferma": "1"}))


def test_the_page_says_what_happens_who_is_told_and_posts_back_with_the_carried_values(rf, team_user):
    request = rf.post("/area-riservata/atto/", {"motivo": "x"})
    request.user = team_user
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    html = confirmation_page(
        request,
        Confirmation(
            title="Chiudere ora la fase «Ascolto»?",
            consequences=["La fase finisce adesso."],
            told=["I sindaci, per e-mail."],
            button="Chiudi la fase",
            cancel_url="/area-riservata/fasi/",
            carried={"motivo": "<x>"},
        ),
    ).content.decode()
    assert "Chiudere ora la fase «Ascolto»?" in html and "La fase finisce adesso." in html
    assert "I sindaci, per e-mail." in html and 'href="/area-riservata/fasi/"' in html
    assert 'action="/area-riservata/atto/"' in html and 'name="conferma" value="1"' in html
    assert 'name="motivo" value="&lt;x&gt;"' in html  # carried values are escaped
