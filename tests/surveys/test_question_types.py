"""Each kind of question: what is valid, what is stored, how it is counted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys.answers import Structure, check, check_all
from surveys.factories import QuestionFactory
from surveys.models import Answer, Kind, Response
from surveys.results import compute
from surveys.services import response_submit
from surveys.spreading import responses_spread_all
from tests.surveys.conftest import LIPARI, MESSINA, full_answers

pytestmark = pytest.mark.django_db
CODES = {MESSINA, LIPARI}


def submit(survey, q, overrides: dict | None = None) -> Response:
    """Submit, then spread the answers into rows as the worker does."""
    response = response_submit(questionnaire=survey, answers=full_answers(q, overrides))
    assert responses_spread_all() == 1
    return response


def result_of(survey, question, **filters):
    data = compute(survey, **filters)
    return data, next(r for r in data["questions"] if r.question.pk == question.pk)


# --- validation -------------------------------------------------------------------


def test_single_choice_accepts_its_options_and_asks_text_for_other(q):
    single = q(Kind.SINGLE, 0)
    assert check(single, {"option": q.opt(single, "Treno")}) is None
    assert check(single, {"option": 999999}) == "Scegli una delle risposte proposte."
    assert check(single, {"option": q.opt(single, "Altro"), "other": "  "}) == "Hai scelto «Altro»: scrivi quale."
    assert check(single, {"option": q.opt(single, "Altro"), "other": "Bicicletta"}) is None


def test_single_choice_rejects_an_option_of_another_question(q):
    single, multiple = q(Kind.SINGLE, 0), q(Kind.MULTIPLE)
    assert check(single, {"option": q.opt(multiple, "Lavoro")}) == "Scegli una delle risposte proposte."


def test_multiple_choice_respects_the_maximum_and_other(q):
    multiple = q(Kind.MULTIPLE)
    ids = [q.opt(multiple, label) for label in ("Trasporti", "Lavoro", "Ambiente", "Turismo")]
    assert check(multiple, {"options": ids[:3]}) is None
    assert check(multiple, {"options": ids}) == "Puoi scegliere al massimo 3 risposte."
    assert check(multiple, {"options": [ids[0], ids[0]]}) == "Ogni risposta si può scegliere una volta sola."
    assert check(multiple, {"options": [q.opt(multiple, "Altro")]}) == "Hai scelto «Altro»: scrivi quale."
    assert check(multiple, {"options": []}) == "Scegli una o più delle risposte proposte."


def test_likert_takes_one_to_five(q):
    likert = q(Kind.LIKERT)
    assert check(likert, 1) is None and check(likert, 5) is None
    assert check(likert, 0) == "Scegli un valore da 1 a 5."
    assert check(likert, 6) == "Scegli un valore da 1 a 5."
    assert check(likert, True) == "Scegli un valore da 1 a 5."


def test_ranking_needs_the_top_n_distinct_items(q):
    ranking = q(Kind.RANKING)
    a, b, c, d = (q.opt(ranking, label) for label in ("Strade", "Porti", "Scuole", "Digitale"))
    assert check(ranking, [a, b, c]) is None
    assert check(ranking, [a, b]) == "Indica tutte le prime 3 posizioni."
    assert check(ranking, [a, a, b]) == "Ogni voce può occupare una sola posizione."
    assert check(ranking, [a, b, c, d]) == "Puoi ordinare al massimo 3 voci."


def test_texts_have_a_length_limit(q):
    short, long = q(Kind.SHORT_TEXT, 1), q(Kind.LONG_TEXT)
    assert check(short, "Mare") is None
    assert check(short, "x" * 201).startswith("La risposta può avere al massimo 200 caratteri")
    assert check(long, "x" * 3000) is None
    assert check(long, "x" * 3001).startswith("La risposta può avere al massimo 3000 caratteri")
    assert check(long, "   ") == "Scrivi una risposta."


def test_number_within_min_and_max(q):
    number = q(Kind.NUMBER)
    assert check(number, 0) is None and check(number, 300) is None
    assert check(number, -1) == "Il numero deve essere almeno 0."
    assert check(number, 301) == "Il numero deve essere al massimo 300."
    assert check(number, "12") == "Scrivi un numero intero, senza punti né virgole."


def test_municipality_is_one_of_the_108_or_elsewhere(q):
    municipality = q(Kind.MUNICIPALITY)
    assert check(municipality, MESSINA, CODES) is None
    assert check(municipality, "altro", CODES) is None
    assert check(municipality, "999999", CODES).startswith("Scegli il tuo comune dall'elenco")


def test_age_band_and_yes_no_take_their_fixed_options(q):
    age, yes_no = q(Kind.AGE_BAND), q(Kind.YES_NO)
    assert [o.label for o in age.options.all()][0] == "Meno di 18 anni"
    assert [o.label for o in yes_no.options.all()] == ["Sì", "No"]
    assert check(age, {"option": q.opt(age, "75 anni e oltre")}) is None
    assert check(yes_no, {"option": q.opt(age, "18–24")}) == "Scegli una delle risposte proposte."


def test_required_questions_must_be_answered_optional_may_be_left(survey, q):
    structure = Structure.load(survey)
    answers = full_answers(q, {q(Kind.LIKERT).pk: None, q(Kind.LONG_TEXT).pk: None})
    errors = check_all(structure, answers, CODES)
    assert errors == {q(Kind.LIKERT).pk: "Questa domanda è obbligatoria."}


# --- conditional display -------------------------------------------------------------


def test_conditional_number_is_required_only_when_its_condition_holds(survey, q):
    structure = Structure.load(survey)
    yes_no, number = q(Kind.YES_NO), q(Kind.NUMBER)
    no = {yes_no.pk: {"option": q.opt(yes_no, "No")}, number.pk: None}
    assert check_all(structure, full_answers(q, no), CODES) == {}
    yes_without = {number.pk: None}
    assert check_all(structure, full_answers(q, yes_without), CODES) == {number.pk: "Questa domanda è obbligatoria."}


def test_an_answer_to_a_question_not_shown_is_refused_by_the_service(survey, q):
    yes_no = q(Kind.YES_NO)
    with pytest.raises(ValidationError) as caught:
        submit(survey, q, {yes_no.pk: {"option": q.opt(yes_no, "No")}})
    assert "non andava compilata" in str(caught.value)
    assert Response.objects.count() == 0


def test_conditional_question_of_an_earlier_section_is_left_out_of_the_page(survey, q):
    from surveys.forms import SectionForm

    structure = Structure.load(survey)
    third = structure.sections[2]
    single = q(Kind.SINGLE, 0)
    conditional = q(Kind.SHORT_TEXT, 0)
    shown = SectionForm(structure=structure, section=third, previous={single.pk: {"option": q.opt(single, "Autobus")}})
    hidden = SectionForm(structure=structure, section=third, previous={single.pk: {"option": q.opt(single, "Auto")}})
    assert conditional.pk in [i["question"].pk for i in shown.items]
    assert conditional.pk not in [i["question"].pk for i in hidden.items]


def test_conditional_question_in_the_same_section_says_when_to_skip_it(survey, q):
    from surveys.forms import SectionForm

    structure = Structure.load(survey)
    item = next(
        i
        for i in SectionForm(structure=structure, section=structure.sections[0], previous={}).items
        if i["question"].kind == Kind.NUMBER
    )
    assert item["note"] == (
        "Rispondi solo se alla domanda «Ti sposti ogni giorno per studio o lavoro?» hai risposto «Sì»; "
        "altrimenti passa oltre."
    )


# --- storage ---------------------------------------------------------------------------


def test_storage_of_every_kind(survey, q):
    response = submit(survey, q)
    rows = {(a.question_id, a.option_id): a for a in Answer.objects.filter(response=response)}
    multiple, ranking, single = q(Kind.MULTIPLE), q(Kind.RANKING), q(Kind.SINGLE, 0)
    assert rows[(q(Kind.MUNICIPALITY).pk, None)].municipality_id == MESSINA
    assert rows[(q(Kind.NUMBER).pk, None)].number == 45
    assert rows[(q(Kind.LIKERT).pk, None)].number == 4
    assert (single.pk, q.opt(single, "Autobus")) in rows
    assert rows[(multiple.pk, q.opt(multiple, "Altro"))].text == "Sanità"
    assert rows[(multiple.pk, q.opt(multiple, "Trasporti"))].text == ""
    assert rows[(ranking.pk, q.opt(ranking, "Porti"))].rank == 1
    assert rows[(ranking.pk, q.opt(ranking, "Digitale"))].rank == 3
    assert rows[(q(Kind.LONG_TEXT).pk, None)].text == "Più treni e meno code agli imbarchi."
    assert response.municipality_id == MESSINA and response.age_band_id == q.opt(q(Kind.AGE_BAND), "25–34")


def test_other_municipality_is_stored_as_resident_elsewhere(survey, q):
    response = submit(survey, q, {q(Kind.MUNICIPALITY).pk: "altro"})
    assert response.municipality_id is None and response.resident_elsewhere is True
    assert Answer.objects.get(response=response, question=q(Kind.MUNICIPALITY)).municipality_id is None


def test_nothing_is_half_saved_when_one_answer_is_wrong(survey, q):
    with pytest.raises(ValidationError):
        submit(survey, q, {q(Kind.LIKERT).pk: 9})
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_closed_questionnaire_takes_no_response(survey, q):
    survey.status = survey.Status.DRAFT
    survey.save()
    with pytest.raises(ValidationError):
        submit(survey, q)


# --- aggregation --------------------------------------------------------------------------


def test_aggregation_of_single_multiple_and_yes_no(survey, q):
    single, multiple = q(Kind.SINGLE, 0), q(Kind.MULTIPLE)
    submit(survey, q)
    submit(
        survey,
        q,
        {
            single.pk: {"option": q.opt(single, "Treno")},
            multiple.pk: {"options": [q.opt(multiple, "Lavoro")]},
            q(Kind.SHORT_TEXT, 0).pk: None,  # asked only to who chose Autobus
        },
    )
    _, single_result = result_of(survey, single)
    counts = {r.label: (r.count, r.percent) for r in single_result.rows}
    assert counts["Autobus"] == (1, 50.0) and counts["Treno"] == (1, 50.0) and counts["Auto"] == (0, 0.0)
    _, multiple_result = result_of(survey, multiple)
    counts = {r.label: (r.count, r.percent) for r in multiple_result.rows}
    assert multiple_result.respondents == 2
    assert counts["Trasporti"] == (1, 50.0) and counts["Lavoro"] == (1, 50.0) and counts["Altro"] == (1, 50.0)


def test_aggregation_of_likert_number_and_ranking(survey, q):
    ranking = q(Kind.RANKING)
    submit(survey, q)
    submit(
        survey,
        q,
        {
            q(Kind.LIKERT).pk: 2,
            q(Kind.NUMBER).pk: 15,
            ranking.pk: [q.opt(ranking, "Strade"), q.opt(ranking, "Porti"), q.opt(ranking, "Scuole")],
        },
    )
    _, likert = result_of(survey, q(Kind.LIKERT))
    assert [r.count for r in likert.rows] == [0, 1, 0, 1, 0]
    assert float(likert.average) == 3.0
    _, number = result_of(survey, q(Kind.NUMBER))
    assert (number.respondents, float(number.average), number.minimum, number.maximum) == (2, 30.0, 15, 45)
    _, rank = result_of(survey, ranking)
    by_label = {r.label: r for r in rank.rows}
    assert by_label["Porti"].average_rank == 1.5 and by_label["Strade"].average_rank == 1.5
    assert by_label["Digitale"].average_rank == 3.0 and by_label["Scuole"].average_rank == 3.0
    assert by_label["Dissesto idrogeologico"].count == 0 and by_label["Dissesto idrogeologico"].average_rank is None
    assert rank.rows[-1].label == "Dissesto idrogeologico"


def test_aggregation_filters_by_municipality_and_age_band(survey, q):
    age = q(Kind.AGE_BAND)
    submit(survey, q)
    submit(survey, q, {q(Kind.MUNICIPALITY).pk: LIPARI, age.pk: {"option": q.opt(age, "65–74")}})
    submit(survey, q, {q(Kind.MUNICIPALITY).pk: "altro"})
    assert compute(survey)["total"] == 3
    assert compute(survey, municipality=LIPARI)["total"] == 1
    assert compute(survey, municipality="altro")["total"] == 1
    assert compute(survey, age_band=q.opt(age, "25–34"))["total"] == 2
    data, likert = result_of(survey, q(Kind.LIKERT), municipality=LIPARI)
    assert likert.respondents == 1
    _, residence = result_of(survey, q(Kind.MUNICIPALITY))
    by_label = {r.label: r.count for r in residence.rows}
    assert by_label["Messina"] == 1 and by_label["Lipari"] == 1 and by_label["Altro comune / non residente"] == 1


def test_participation_rate_per_thousand_inhabitants(survey, q, lipari):
    for _ in range(3):
        submit(survey, q, {q(Kind.MUNICIPALITY).pk: LIPARI})
    data = compute(survey)
    assert data["rates"][LIPARI] == pytest.approx(3000.0 / lipari.population)
    assert MESSINA not in data["rates"]
    assert len(data["participation"]) == 108


def test_open_answers_are_counted_and_listed_only_when_asked(survey, q):
    submit(survey, q)
    _, public = result_of(survey, q(Kind.LONG_TEXT))
    assert public.respondents == 1 and public.open_answers == []
    data = compute(survey, include_open=True)
    team = next(r for r in data["questions"] if r.question.pk == q(Kind.LONG_TEXT).pk)
    assert team.open_answers == ["Più treni e meno code agli imbarchi."]


def test_a_number_without_bounds_stays_within_a_database_integer(survey):
    section = survey.sections.first()
    unbounded = QuestionFactory(section=section, kind=Kind.NUMBER, text="Quante persone?", order=9)
    assert check(unbounded, 2_147_483_647) is None and check(unbounded, -2_147_483_648) is None
    message = "Scrivi un numero da -2.147.483.648 a 2.147.483.647."
    assert check(unbounded, 2_147_483_648) == message
    assert check(unbounded, -2_147_483_649) == message


def test_a_huge_number_typed_in_the_form_gets_a_message_not_a_500(client, survey):
    section = survey.sections.get(order=1)
    unbounded = QuestionFactory(section=section, kind=Kind.NUMBER, text="Quante persone?", required=False, order=9)
    client.post(reverse("surveys:start", args=[survey.slug]), {"privacy": "on"})
    reply = client.post(reverse("surveys:section", args=[survey.slug, 1]), {f"q{unbounded.pk}": "99999999999"})
    assert reply.status_code == 200
    assert "Scrivi un numero da -2.147.483.648 a 2.147.483.647." in reply.content.decode()


def test_open_answers_are_listed_by_text_not_in_order_of_arrival(survey, q):
    long_text = q(Kind.LONG_TEXT)
    for text in ("Zeta", "Alfa", "Media"):
        submit(survey, q, {long_text.pk: text})
    _, team = result_of(survey, long_text, include_open=True)
    assert team.open_answers == ["Alfa", "Media", "Zeta"]
