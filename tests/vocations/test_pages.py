"""The vocations' pages: the whole cast, forged ids, the aggregates against a hand computation, the map's fill
classes, the query counts at 10 and 108 answering comuni, the comune page's section and the open data."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.maps import DEFAULT_FILL, SEQUENTIAL
from municipalities.models import Area, Municipality
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST, LIPARI, MESSINA
from tests.vocations.conftest import answer_for, fill
from vocations import results
from vocations.models import Answer, Priority, RoundStatus, Scenario, Target

pytestmark = pytest.mark.django_db

PUBLIC = ["vocations:list", "vocations:scenarios", "vocations:opendata_vocations", "vocations:opendata_scenarios"]


@pytest.mark.parametrize("who", CAST)
def test_public_pages_open_to_the_whole_cast(who, cast, login, closed_round, vocations):
    client = login(cast(who))
    for name in PUBLIC:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("vocations:detail", args=["mare"])).status_code == 200


@pytest.mark.parametrize("who", CAST)
def test_the_reserved_pages_for_each_member_of_the_cast(who, cast, login, open_round):
    client = login(cast(who))
    manage = client.get(reverse("vocations:manage"))
    answer = client.get(reverse("vocations:answer"))
    if who == "anonymous":
        assert manage.status_code == answer.status_code == 302
        return
    assert manage.status_code == (200 if who == "team_user" else 403)
    answering = who in {"mayor_a", "mayor_b", "office_a_user", "office_b_user", "stakeholder_user"}
    assert answer.status_code == (200 if answering else 403)


@pytest.mark.parametrize("who", [c for c in CAST if c != "team_user"])
def test_only_the_team_opens_closes_publishes_and_chooses(who, cast, login, draft_round, team_user):
    client = login(cast(who))
    scenario = Scenario.objects.create(slug="s", title="S", narrative="n", assumptions="a")
    for name, pk in (("round_open", draft_round.pk), ("round_close", draft_round.pk), ("priorities", draft_round.pk)):
        assert client.post(reverse(f"vocations:{name}", args=[pk]), {"conferma": "1"}).status_code in (302, 403)
    client.post(reverse("vocations:scenario_reference", args=[scenario.pk]), {"conferma": "1"})
    draft_round.refresh_from_db()
    assert draft_round.status == RoundStatus.DRAFT and not Scenario.objects.filter(is_reference=True).exists()
    assert not AuditEvent.objects.filter(action__startswith="vocations.").exists()


def test_opening_asks_for_confirmation_first(login, team_user, draft_round):
    client = login(team_user)
    page = client.post(reverse("vocations:round_open", args=[draft_round.pk]))
    assert page.status_code == 200 and "Apri la consultazione" in page.content.decode()
    draft_round.refresh_from_db()
    assert draft_round.status == RoundStatus.DRAFT
    client.post(reverse("vocations:round_open", args=[draft_round.pk]), {"conferma": "1"})
    draft_round.refresh_from_db()
    assert draft_round.status == RoundStatus.OPEN


def test_forged_ids_are_404_never_500(login, team_user, open_round):
    client = login(team_user)
    for name in ("round_open", "round_close", "priorities", "scenario_reference"):
        assert client.post(reverse(f"vocations:{name}", args=[99999]), {"conferma": "1"}).status_code == 404
    # An open round cannot be opened again, nor priorities published on it.
    assert client.post(reverse("vocations:round_open", args=[open_round.pk]), {"conferma": "1"}).status_code == 404
    assert client.post(reverse("vocations:priorities", args=[open_round.pk]), {}).status_code == 404
    assert client.get(reverse("vocations:detail", args=["non-esiste"])).status_code == 404


def _answer_post(vocations, score="4", priorities=()) -> dict:
    data = {}
    for v in vocations:
        data[f"score_{v.pk}"] = score
        if v.pk in priorities:
            data[f"priority_{v.pk}"] = "on"
            data[f"reason_{v.pk}"] = "Il porto"
    return data


def test_a_mayor_answers_for_their_comune_whatever_the_form_says(login, mayor_b, open_round, vocations, messina):
    client = login(mayor_b)
    # A forged field for another comune, an unknown vocation and a priority for nobody: ignored.
    data = {**_answer_post(vocations, "5", {vocations[0].pk}), "municipality": messina.pk, "score_99999": "1"}
    response = client.post(reverse("vocations:answer"), data)
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.municipality_id == LIPARI and answer.ratings.count() == 3


def test_bad_input_gives_italian_messages_and_saves_nothing(login, mayor_a, open_round, vocations):
    client = login(mayor_a)
    response = client.post(reverse("vocations:answer"), {f"score_{vocations[0].pk}": "9"})
    body = response.content.decode()
    assert response.status_code == 200 and "Scegli un&#x27;opzione valida" in body
    response = client.post(
        reverse("vocations:answer"), {**_answer_post(vocations), f"priority_{vocations[0].pk}": "on"}
    )
    assert "perché è una priorità" in response.content.decode()
    assert not Answer.objects.exists()


def test_aggregates_match_a_hand_computation(closed_round, vocations):
    """Messina (Stretto) 5, Villafranca (Stretto) 2, Lipari (Eolie) 4, Malfa (Eolie) 3 for the sea."""
    codes = {"083048": [5, 1, 1], "083105": [2, 2, 2], "083041": [4, 5, 3], "083043": [3, 4, 3]}
    for code, scores in codes.items():
        answer_for(closed_round, Municipality.objects.get(pk=code), scores, priorities=(0,) if code != "083105" else ())
    sea = vocations[0]
    areas = list(Area.objects.all())
    table = {row.area.code: row for row in results.area_table(closed_round, sea, areas)}
    assert (table["stretto"].answers, table["stretto"].average, table["stretto"].priorities) == (2, 3.5, 1)
    assert (table["eolie"].answers, table["eolie"].average, table["eolie"].priorities) == (2, 3.5, 2)
    assert table["nebrodi"].average is None and table["nebrodi"].rank is None
    summary = {s.vocation.slug: s for s in results.summaries(closed_round, vocations)}
    assert (summary["mare"].answers, summary["mare"].average, summary["mare"].priorities) == (4, 3.5, 3)
    assert summary["turismo"].average == 3.0  # (1 + 2 + 5 + 4) / 4
    ranking = {r["area"].code: r["ranking"] for r in results.rankings_by_area(closed_round, vocations, areas)}
    assert [x["vocation"].slug for x in ranking["eolie"]] == ["turismo", "mare", "agroalimentare"]  # 4.5, 3.5, 3


def test_the_map_fills_each_comune_by_its_score(client, closed_round, vocations):
    answer_for(closed_round, Municipality.objects.get(pk=MESSINA), [5, 1, 1])
    answer_for(closed_round, Municipality.objects.get(pk=LIPARI), [2, 1, 1])
    body = client.get(reverse("vocations:detail", args=["mare"])).content.decode()
    assert f'fill="{SEQUENTIAL[4]}" class="psm-map-shape" data-istat="{MESSINA}"' in body
    assert f'fill="{SEQUENTIAL[1]}" class="psm-map-shape" data-istat="{LIPARI}"' in body
    assert f'fill="{DEFAULT_FILL}" class="psm-map-shape" data-istat="083001"' in body


def test_results_stay_private_while_the_round_is_open(client, open_round, vocations, messina):
    answer_for(open_round, messina, [5, 1, 1], priorities=(0,))
    body = client.get(reverse("vocations:detail", args=["mare"])).content.decode()
    assert "alla chiusura" in body and SEQUENTIAL[4] not in body
    assert client.get(reverse("vocations:opendata_vocations")).content.decode().count("\n") == 1
    comune_page = client.get(reverse("municipalities:detail", args=[MESSINA])).content.decode()
    assert "Rilevanza delle vocazioni" not in comune_page


def test_the_comune_page_shows_its_ratings_once_closed(client, closed_round, vocations, messina):
    answer_for(closed_round, messina, [5, 1, 2], priorities=(0,))
    body = client.get(reverse("municipalities:detail", args=[MESSINA])).content.decode()
    assert "Rilevanza delle vocazioni per Messina" in body and "Economia del mare" in body


def test_the_open_data_csv_has_a_row_per_comune_and_vocation(client, closed_round, vocations, messina):
    answer_for(closed_round, messina, [5, 1, 2], priorities=(0,))
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("vocations:opendata_vocations")).content.decode("utf-8-sig")))
    )
    assert len(rows) == 3
    assert rows[0]["istat_code"] == MESSINA and rows[0]["area"] == "Area dello Stretto" and rows[0]["score"] == "5"
    assert rows[0]["priority"] == "1" and "mayor" not in str(rows)


def test_scenarios_side_by_side_and_in_open_data(client, tree, vocations):
    from phases.models import Indicator

    indicator = Indicator.objects.get()
    trend = Scenario.objects.create(slug="tendenziale", title="Tendenziale", narrative="Come oggi", assumptions="a")
    goal = Scenario.objects.create(slug="obiettivo", title="Obiettivo", narrative="Meglio", assumptions="b", order=2)
    Target.objects.create(scenario=trend, indicator=indicator, value=40)
    Target.objects.create(scenario=goal, indicator=indicator, value=180)
    body = client.get(reverse("vocations:scenarios")).content.decode()
    assert "Tendenziale" in body and "180,00" in body and "40,00" in body and 'id="grafico-indicatore-1-t"' in body
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("vocations:opendata_scenarios")).content.decode("utf-8-sig")))
    )
    assert [(r["scenario"], r["target"]) for r in rows] == [("Tendenziale", "40.00"), ("Obiettivo", "180.00")]


def test_published_priorities_show_on_the_public_page(login, team_user, closed_round, vocations, client):
    eolie = Area.objects.get(code="eolie")
    response = login(team_user).post(
        reverse("vocations:priorities", args=[closed_round.pk]),
        {
            "area": eolie.pk,
            "vocations": [vocations[1].pk],
            "rationale": "Le isole vivono di turismo.",
            "evidence": "/vocazioni/turismo/",
        },
    )
    assert response.status_code == 302 and Priority.objects.count() == 1
    forged = login(team_user).post(
        reverse("vocations:priorities", args=[closed_round.pk]),
        {"area": 99999, "vocations": [99999], "rationale": "Una motivazione abbastanza lunga"},
    )
    assert forged.status_code == 302 and Priority.objects.count() == 1
    body = login(None).get(reverse("vocations:list")).content.decode()
    assert "Isole Eolie" in body and "Le isole vivono di turismo." in body and 'href="/vocazioni/turismo/"' in body


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_counts_are_equal_at_10_and_108_answering_comuni(client, closed_round, vocations, team_user):
    Priority.objects.create(round=closed_round, vocation=vocations[0], rationale="r" * 30)
    urls = [reverse("vocations:list"), reverse("vocations:detail", args=["mare"]), reverse("vocations:scenarios")]
    fill(closed_round, 10)
    few = [_queries(client, url) for url in urls]
    Answer.objects.all().delete()
    fill(closed_round, 108)
    many = [_queries(client, url) for url in urls]
    assert few == many
    assert Answer.objects.count() == 108


@pytest.mark.parametrize("who", CAST)
def test_only_the_team_sends_reminders(
    who, cast, login, open_round, mayor_b, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast(who)).post(reverse("vocations:round_remind", args=[open_round.pk]))
    assert response.status_code == (302 if who in ("team_user", "anonymous") else 403)
    assert len(mailoutbox) == (1 if who == "team_user" else 0)


def test_the_comune_page_section_costs_one_query(closed_round, vocations, messina, django_assert_num_queries):
    from vocations.sections import municipality_ratings

    with django_assert_num_queries(1):
        assert municipality_ratings(messina, None) is None
    answer_for(closed_round, messina, [5, 1, 2])
    with django_assert_num_queries(1):
        assert [r.score for r in municipality_ratings(messina, None)["ratings"]] == [5, 2, 1]


def test_a_nul_byte_or_a_huge_score_is_refused_without_saving(login, mayor_a, stakeholder_user, open_round, vocations):
    data = {**_answer_post(vocations, "5", {vocations[0].pk}), f"reason_{vocations[0].pk}": "porto\x00"}
    assert login(mayor_a).post(reverse("vocations:answer"), data).status_code == 200
    data = {**_answer_post(vocations), f"score_{vocations[1].pk}": "9" * 40}
    assert login(mayor_a).post(reverse("vocations:answer"), data).status_code == 200
    response = login(stakeholder_user).post(reverse("vocations:answer"), {"vocation": "abc", "text": "x\x00" * 20})
    assert response.status_code == 200
    assert not Answer.objects.exists() and not open_round.contributions.exists()


def test_the_pages_speak_english_under_en(client, closed_round, vocations, messina):
    answer_for(closed_round, messina, [5, 1, 2], priorities=(0,))
    body = client.get("/en/vocazioni/mare/").content.decode()
    assert "What the municipalities think" in body and "Relevance of «Economia del mare» for the municipalities" in body
    assert "Vocations of the territory" in client.get("/en/vocazioni/").content.decode()
