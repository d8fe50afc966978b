from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from phases.models import Phase
from plan.models import DraftSection, PlanComment, PlanKind
from tests.conftest import CAST
from tests.plan.conftest import make_document

pytestmark = pytest.mark.django_db

READERS = {"team_user", "office_a_user", "office_b_user", "mayor_a", "mayor_b", "council_user", "secretary_user"}


def in_phase(key: str):
    return time_machine.travel(Phase.objects.get(key=key).starts_at + timedelta(days=1), tick=False)


@pytest.fixture
def draft(media):
    return make_document(kind=PlanKind.DRAFT, published=True)


@pytest.mark.parametrize("name", CAST)
def test_the_discussion_page_is_for_the_reserved_area(name, cast, login, draft):
    response = login(cast(name)).get(reverse("plan:discussion"))
    expected = 302 if name == "anonymous" else (200 if name in READERS else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("name", CAST)
def test_mayors_and_offices_comment_each_section_in_phase_two(name, cast, login, draft):
    user = cast(name)
    with in_phase("agenda"):
        response = login(user).post(
            reverse("plan:discussion"), {"section": DraftSection.VISION, "body": "Manca il porto di Milazzo."}
        )
    comment = PlanComment.objects.first()
    if name in {"mayor_a", "mayor_b", "office_a_user", "office_b_user"}:
        assert response.status_code == 302
        assert response["Location"].endswith("#sezione-vision")
        assert comment.document == draft and comment.section == "vision" and comment.author == user
        if user.is_mayor:
            assert comment.municipality == user.municipality and comment.office is None
        else:
            assert comment.office == user.office and comment.municipality is None
    else:
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert comment is None


def test_each_municipality_reads_only_its_own_thread(login, mayor_a, mayor_b, office_a_user, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "projects", "body": "Commento di Messina"})
        login(office_a_user).post(reverse("plan:discussion"), {"section": "projects", "body": "Dall'ufficio"})
        page_a = login(mayor_a).get(reverse("plan:discussion")).content.decode()
        page_b = login(mayor_b).get(reverse("plan:discussion")).content.decode()
    assert "Commento di Messina" in page_a and "Dall&#x27;ufficio" not in page_a
    assert "Commento di Messina" not in page_b
    assert 'id="commento-projects"' in page_b  # and the form to open Lipari's thread


@pytest.mark.parametrize("phase", ["listening", "final"])
def test_outside_phase_two_comments_are_refused_with_the_dates(phase, login, mayor_a, draft):
    with in_phase(phase):
        response = login(mayor_a).post(
            reverse("plan:discussion"), {"section": "vision", "body": "Troppo presto"}, follow=True
        )
        page = login(mayor_a).get(reverse("plan:discussion")).content.decode()
    assert "commentare la proposta preliminare di piano" in response.content.decode()
    assert not PlanComment.objects.exists()
    assert 'id="commento-vision"' not in page


@pytest.mark.parametrize(
    "payload", [{"section": "vision", "body": "   "}, {"section": "nessuna", "body": "x"}, {"body": "x"}]
)
def test_a_bad_comment_says_why_and_saves_nothing(payload, login, mayor_a, draft):
    with in_phase("agenda"):
        response = login(mayor_a).post(reverse("plan:discussion"), payload)
    assert response.status_code == 400
    assert "Il commento non è stato inviato" in response.content.decode()
    assert not PlanComment.objects.exists()


def test_without_a_published_draft_there_is_nothing_to_comment(login, mayor_a, media):
    make_document(kind=PlanKind.DRAFT)  # ready but not published
    with in_phase("agenda"):
        response = login(mayor_a).post(reverse("plan:discussion"), {"section": "vision", "body": "x"}, follow=True)
    assert "Non c&#x27;è ancora una proposta preliminare pubblicata" in response.content.decode()
    assert not PlanComment.objects.exists()


@pytest.mark.parametrize("name", CAST)
def test_the_coverage_shows_which_municipalities_commented(name, cast, login, mayor_a, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "annex", "body": "Dati aggiornati"})
    response = login(cast(name)).get(reverse("plan:discussion_coverage"))
    expected = 302 if name == "anonymous" else (200 if name in {"team_user", "council_user", "secretary_user"} else 403)
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert "1 comuni su 108 hanno commentato." in html
        assert '<th scope="row">Messina</th>\n    <td>sì</td>' in html
        assert '<th scope="row">Lipari</th>\n    <td>no</td>' in html


@pytest.mark.parametrize("name", CAST)
def test_the_team_reads_every_thread_of_a_section(name, cast, login, mayor_a, office_b_user, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "maps", "body": "Mappa di Messina"})
        login(office_b_user).post(reverse("plan:discussion"), {"section": "maps", "body": "Mappa ambiente"})
    response = login(cast(name)).get(reverse("plan:discussion_section", args=["maps"]))
    expected = 302 if name == "anonymous" else (200 if name in {"team_user", "council_user", "secretary_user"} else 403)
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert "Comune di Messina" in html and "Mappa di Messina" in html
        assert "Ufficio Ambiente e territorio" in html and "Mappa ambiente" in html


def test_an_unknown_section_is_404(login, team_user, draft):
    assert login(team_user).get(reverse("plan:discussion_section", args=["xyz"])).status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_discussion_pages_use_a_constant_number_of_queries(
    size, login, team_user, mayor_a, draft, django_assert_max_num_queries
):
    for index in range(size):
        PlanComment.objects.create(
            document=draft, section=DraftSection.values[index % 7], municipality=mayor_a.municipality,
            author=mayor_a, body=f"c{index}",
        )  # fmt: skip
    team = login(team_user)
    with django_assert_max_num_queries(8):
        assert team.get(reverse("plan:discussion_coverage")).status_code == 200
    with django_assert_max_num_queries(8):
        assert team.get(reverse("plan:discussion")).status_code == 200
    with django_assert_max_num_queries(9):
        assert team.get(reverse("plan:discussion_section", args=["intro"])).status_code == 200
    with in_phase("agenda"):
        mayor = login(mayor_a)
        with django_assert_max_num_queries(9):
            assert mayor.get(reverse("plan:discussion")).status_code == 200


@pytest.mark.parametrize("name", CAST)
def test_the_team_replies_in_a_municipality_s_thread(name, cast, login, mayor_a, mayor_b, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "vision", "body": "Manca lo Stretto."})
        response = login(cast(name)).post(
            reverse("plan:discussion_reply", args=["vision"]),
            {"thread": "comune-083048", "body": "Grazie: lo aggiungiamo nella versione 2."},
        )
        replies = PlanComment.objects.filter(from_team=True)
        if name == "team_user":
            assert response.status_code == 302
            assert response["Location"].endswith("/vision/#comune-083048")
            reply = replies.get()
            assert (reply.municipality_id, reply.office, reply.section, reply.author) == (
                "083048",
                None,
                "vision",
                cast(name),
            )
            # The mayor reads the answer in the thread; the other mayor does not.
            assert "lo aggiungiamo nella versione 2" in login(mayor_a).get(reverse("plan:discussion")).content.decode()
            assert "lo aggiungiamo" not in login(mayor_b).get(reverse("plan:discussion")).content.decode()
        else:
            assert response.status_code == (302 if name == "anonymous" else 403)
            assert not replies.exists()


def test_a_team_reply_does_not_count_as_the_municipality_commenting(login, team_user, mayor_a, office_a_user, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "annex", "body": "Dati aggiornati"})
        login(office_a_user).post(reverse("plan:discussion"), {"section": "annex", "body": "Dall'ufficio"})
        team = login(team_user)
        team.post(reverse("plan:discussion_reply", args=["annex"]), {"thread": "comune-083048", "body": "Ok."})
        thread = f"ufficio-{office_a_user.office_id}"
        team.post(reverse("plan:discussion_reply", args=["annex"]), {"thread": thread, "body": "Visto."})
        assert PlanComment.objects.filter(from_team=True).count() == 2
        assert "1 comuni su 108 hanno commentato." in team.get(reverse("plan:discussion_coverage")).content.decode()
        page = team.get(reverse("plan:discussion_section", args=["annex"])).content.decode()
    assert page.count("Team PSM") == 2
    assert f'id="{thread}"' in page and 'id="comune-083048"' in page


@pytest.mark.parametrize(
    "thread, body, message",
    [
        ("comune-083041", "Risposta", "Questa discussione non esiste"),  # Lipari never commented
        ("ufficio-abc", "Risposta", "Questa discussione non esiste"),
        ("altro-1", "Risposta", "Questa discussione non esiste"),
        ("comune-083048", "   ", "La risposta non è stata inviata"),
        ("comune-083048", "x" * 4001, "La risposta non è stata inviata"),
    ],
)
def test_a_bad_reply_says_why_and_saves_nothing(thread, body, message, login, team_user, mayor_a, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "intro", "body": "Commento"})
        response = login(team_user).post(
            reverse("plan:discussion_reply", args=["intro"]), {"thread": thread, "body": body}, follow=True
        )
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not PlanComment.objects.filter(from_team=True).exists()


def test_replies_close_with_phase_two(login, team_user, mayor_a, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "intro", "body": "Commento"})
    with in_phase("final"):
        response = login(team_user).post(
            reverse("plan:discussion_reply", args=["intro"]), {"thread": "comune-083048", "body": "Tardi"}
        )
    assert response.status_code == 302
    assert not PlanComment.objects.filter(from_team=True).exists()
    assert login(team_user).post(reverse("plan:discussion_reply", args=["nope"]), {}).status_code == 404


@pytest.mark.parametrize("name", CAST)
def test_mayors_with_a_comune_and_office_staff_with_an_office_are_the_participants(name, cast):
    user = cast(name)
    expected = {
        "mayor_a": {"municipality_id": "083048"},
        "mayor_b": {"municipality_id": "083041"},
        "office_a_user": {"office_id": getattr(user, "office_id", None)},
        "office_b_user": {"office_id": getattr(user, "office_id", None)},
    }.get(name)
    assert PlanComment.participant_of(user) == expected


def test_a_mayor_without_a_comune_or_staff_without_an_office_is_no_participant(mayor_a, office_a_user, draft):
    PlanComment.objects.create(
        document=draft, section="intro", municipality=mayor_a.municipality, author=mayor_a, body="x"
    )
    mayor_a.municipality = None
    office_a_user.office = None
    for user in (mayor_a, office_a_user):
        assert PlanComment.participant_of(user) is None
        assert not PlanComment.objects.of_participant(user).exists()


def test_an_inactive_mayor_or_office_user_speaks_for_nobody(mayor_a, office_a_user, draft):
    """The same rule as for the positions on the Vision: ``speaker_for`` refuses inactive users."""
    from phases.speakers import speaker_for
    from plan.services import plan_comment_add

    for user, field in ((mayor_a, "municipality_id"), (office_a_user, "office_id")):
        assert PlanComment.participant_of(user) == {field: speaker_for(user).subject.pk}
        user.is_active = False
        assert speaker_for(user) is None and PlanComment.participant_of(user) is None
        with pytest.raises(ValidationError, match="Commentano i sindaci"):
            plan_comment_add(document=draft, section="intro", user=user, body="Commento")
    assert not PlanComment.objects.exists()


@pytest.mark.parametrize(
    "key, expected",
    [
        ("comune-083048", {"municipality_id": "083048"}),
        ("ufficio-3", {"office_id": 3}),
        ("ufficio-abc", None),
        ("comune-", None),
        ("altro-1", None),
        ("comune-²", None),
        ("", None),
        (None, None),
    ],
)
def test_a_thread_key_names_its_participant(key, expected):
    assert PlanComment.participant_of_thread(key) == expected


def test_a_reply_checks_the_thread_without_loading_its_comments(team_user, mayor_a, office_a_user, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plan.services import plan_comment_reply

    for user in (mayor_a, office_a_user):
        PlanComment.objects.create(
            document=draft, section="intro", author=user, body="Commento", **PlanComment.participant_of(user)
        )
    for thread in ("comune-083048", f"ufficio-{office_a_user.office_id}"):
        with in_phase("agenda"), CaptureQueriesContext(connection) as queries:
            reply = plan_comment_reply(document=draft, section="intro", thread=thread, user=team_user, body="Visto.")
        assert reply.thread_key == thread and reply.from_team
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        comments = [sql for sql in reads if 'FROM "plan_plancomment"' in sql]
        assert len(comments) == 1 and comments[0].startswith('SELECT 1 AS "a" '), comments
        participant = PlanComment.participant_of_thread(thread)
        assert PlanComment.objects.thread(document=draft, section="intro", **participant).count() == 2


@pytest.mark.parametrize(
    "thread, body, says, not_says",
    [
        ("", "Risposta", "la discussione indicata non è valida", "scrivi il testo"),
        ("comune-" + "0" * 30, "Risposta", "la discussione indicata non è valida", "scrivi il testo"),
        ("comune-083048", "", "scrivi il testo", "la discussione indicata"),
        ("", "", "la discussione indicata non è valida, ricarica la pagina e riprova; scrivi il testo", "xyz"),
    ],
)
def test_an_invalid_reply_form_names_what_is_wrong(thread, body, says, not_says, login, team_user, mayor_a, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "intro", "body": "Commento"})
        response = login(team_user).post(
            reverse("plan:discussion_reply", args=["intro"]), {"thread": thread, "body": body}, follow=True
        )
    html = response.content.decode().replace("&#x27;", "'")
    assert "La risposta non è stata inviata: " in html
    assert says in html and not_says not in html
    assert not PlanComment.objects.filter(from_team=True).exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_discussion_page_rejects_other_methods(method, login, mayor_a, team_user, draft):
    with in_phase("agenda"):
        for user in (mayor_a, team_user):
            assert getattr(login(user), method)(reverse("plan:discussion")).status_code == 405
    assert not PlanComment.objects.exists()


@pytest.mark.parametrize("section", ["nessuna", ""])
def test_a_comment_with_a_bad_hidden_section_says_so(section, login, mayor_a, draft):
    with in_phase("agenda"):
        response = login(mayor_a).post(reverse("plan:discussion"), {"section": section, "body": "Commento"})
    assert response.status_code == 400
    assert "la sezione del documento non è valida. Ricarica la pagina e riprova." in response.content.decode()
    assert not PlanComment.objects.exists()


def test_each_thread_has_its_own_reply_form_with_unique_ids(login, team_user, mayor_a, office_a_user, draft):
    with in_phase("agenda"):
        login(mayor_a).post(reverse("plan:discussion"), {"section": "intro", "body": "Dal comune"})
        login(office_a_user).post(reverse("plan:discussion"), {"section": "intro", "body": "Dall'ufficio"})
        html = login(team_user).get(reverse("plan:discussion_section", args=["intro"])).content.decode()
    threads = ["comune-083048", f"ufficio-{office_a_user.office_id}"]
    for key in threads:
        assert f'<input type="hidden" name="thread" value="{key}" id="risposta-{key}-thread">' in html
        textarea = re.search(rf'<textarea [^>]*id="risposta-{key}-body"[^>]*>', html).group(0)
        assert 'name="body"' in textarea and 'maxlength="4000"' in textarea and 'rows="2"' in textarea
        assert "required" in textarea
        label = re.search(rf'<label\s[^>]*for="risposta-{key}-body"[^>]*>(.*?)</label>', html, re.S).group(1)
        assert "Risposta del team PSM" in label
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert html.count("Risposta del team PSM") == 2


@pytest.mark.parametrize(
    "pagina, query",
    [
        ("2", "?pagina=2"),
        (" 2 ", "?pagina=2"),
        ("1", ""),
        ("0", ""),
        ("-2", ""),
        ("abc", ""),
        ("²", ""),
        ("", ""),
        ("\x00", ""),
        ("9" * 30, ""),
    ],
)
def test_a_reply_goes_back_to_the_page_of_its_thread(pagina, query, login, team_user, mayor_a, mayor_b, draft):
    # Lipari comes before Messina: fifty comments of Lipari fill page 1, Messina's thread is on page 2.
    PlanComment.objects.bulk_create(
        PlanComment(document=draft, section="intro", municipality=mayor_b.municipality, author=mayor_b, body=f"L{i}")
        for i in range(50)
    )
    PlanComment.objects.create(
        document=draft, section="intro", municipality=mayor_a.municipality, author=mayor_a, body="Da Messina"
    )
    url = reverse("plan:discussion_section", args=["intro"])
    with in_phase("agenda"):
        team = login(team_user)
        html = team.get(url, {"pagina": 2}).content.decode()
        assert 'id="comune-083048"' in html and 'id="comune-083041"' not in html
        assert '<input type="hidden" name="pagina" value="2" id="risposta-comune-083048-pagina">' in html
        reply = reverse("plan:discussion_reply", args=["intro"])
        response = team.post(reply, {"thread": "comune-083048", "body": "Visto.", "pagina": pagina})
        assert response.status_code == 302
        assert response["Location"] == f"{url}{query}#comune-083048"
        # A refused reply goes back to the same page too.
        response = team.post(reply, {"thread": "comune-083048", "body": "", "pagina": pagina})
        assert response.status_code == 302 and response["Location"] == f"{url}{query}"
    assert PlanComment.objects.filter(from_team=True).count() == 1
    # Without the field (an old page still open), the reply goes to page 1 as before.
    with in_phase("agenda"):
        response = team.post(reply, {"thread": "comune-083048", "body": "Ancora."})
    assert response["Location"] == f"{url}#comune-083048"


COMMENTERS = {"mayor_a", "mayor_b", "office_a_user", "office_b_user"}


@pytest.mark.parametrize("name", CAST)
def test_only_mayors_and_office_staff_post_on_the_published_draft(name, cast, login, draft):
    """The page refuses the others with the right status (anonymous to the login page, the stakeholder because the
    discussion is not for their role, team, council and its secretary because they only read and reply); the service, reached
    without the page, takes the same people and no one else."""
    from plan.services import plan_comment_add

    user = cast(name)
    with in_phase("agenda"):
        response = login(user).post(reverse("plan:discussion"), {"section": "intro", "body": "Dalla pagina"})
    html = response.content.decode()
    if name in COMMENTERS:
        assert response.status_code == 302 and response["Location"].endswith("#sezione-intro")
    elif name == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('plan:discussion')}"
    elif name == "stakeholder_user":
        assert response.status_code == 403 and "Questa pagina è riservata ad altri ruoli." in html
    else:
        assert response.status_code == 403 and "Commentano i sindaci e gli uffici della Città Metropolitana." in html
    assert PlanComment.objects.filter(body="Dalla pagina").exists() is (name in COMMENTERS)
    with in_phase("agenda"):
        if name in COMMENTERS:
            comment = plan_comment_add(document=draft, section="vision", user=user, body="Dal servizio")
            assert comment.author == user
        else:
            with pytest.raises(ValidationError, match="Commentano i sindaci per il loro comune e gli uffici"):
                plan_comment_add(document=draft, section="vision", user=user, body="Dal servizio")
    assert PlanComment.objects.filter(author__isnull=False).count() == (2 if name in COMMENTERS else 0)


def test_who_comments_the_draft_is_declared_once_as_mayors_and_offices(client):
    """Why a pin beside the behaviour: a role added to ``FEATURE_ROLES[COMMENT_DRAFT_PLAN]`` (a stakeholder, say)
    changes nothing the cast can do on the draft, because ``speaker_for`` speaks only for a mayor's comune or a
    staff member's office and the discussion's pages are for the reserved area's readers; so the test above
    stays green. The set is what ``PlanComment.participant_of`` and the public process page read, and that page
    would promise the new role a say it does not have: both are checked here."""
    from phases.phases import FEATURE_ROLES, Feature
    from psm_portal.accounts.models import Role

    assert FEATURE_ROLES[Feature.COMMENT_DRAFT_PLAN] == {Role.MAYOR, Role.OFFICE}
    html = client.get(reverse("phases:timeline")).content.decode()
    said = re.findall(r"<li>Commentare la proposta preliminare di piano — <em>([^<]*)</em></li>", html)
    assert said == ["Sindaco o delegato comunale, Personale di un ufficio della Città Metropolitana"]


@pytest.mark.parametrize("phase", ["listening", "final"])
def test_the_services_refuse_comments_and_replies_outside_phase_two(phase, mayor_a, team_user, draft):
    """The gate holds in the services too, not only in the views that call them."""
    from plan.services import plan_comment_add, plan_comment_reply

    with in_phase("agenda"):
        plan_comment_add(document=draft, section="intro", user=mayor_a, body="In tempo")
    with in_phase(phase):
        with pytest.raises(ValidationError, match="commentare la proposta preliminare"):
            plan_comment_add(document=draft, section="intro", user=mayor_a, body="Fuori tempo")
        with pytest.raises(ValidationError, match="commentare la proposta preliminare"):
            plan_comment_reply(document=draft, section="intro", thread="comune-083048", user=team_user, body="No")
    assert list(PlanComment.objects.values_list("body", flat=True)) == ["In tempo"]
