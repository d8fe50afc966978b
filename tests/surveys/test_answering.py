"""Answering through the pages: privacy first, one section per page, messages next to the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from phases.models import Phase
from surveys.factories import QuestionFactory, QuestionnaireFactory, SectionFactory
from surveys.models import Answer, Kind, Response
from tests.conftest import CAST
from tests.surveys.conftest import MESSINA, answer_through_pages, section_posts

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"surveys:{name}", args=args)


@pytest.mark.parametrize("member", CAST)
def test_everyone_can_open_and_answer_the_questionnaire(member, cast, login, survey, q):
    client = login(cast(member))
    assert client.get(url("list")).status_code == 200
    page = client.get(url("start", survey.slug))
    assert page.status_code == 200
    reply = answer_through_pages(client, survey, section_posts(q))
    assert reply["Location"] == url("thanks", survey.slug)
    assert Response.objects.count() == 1


def test_list_shows_open_questionnaires_and_not_drafts(client, survey):
    QuestionnaireFactory(title="Bozza segreta", status="draft")
    html = client.get(url("list")).content.decode()
    assert "Mobilità e futuro" in html and "Bozza segreta" not in html


def test_privacy_notice_comes_before_the_first_question(client, survey):
    page = client.get(url("start", survey.slug)).content.decode()
    assert "Informativa sulla privacy" in page and "Titolare del trattamento" in page
    assert "In quale comune vivi?" not in page
    # Skipping the notice leads back to it.
    reply = client.get(url("section", survey.slug, 1))
    assert reply["Location"] == url("start", survey.slug)
    refused = client.post(url("start", survey.slug), {})
    assert "Per iniziare conferma di aver letto l&#x27;informativa sulla privacy." in refused.content.decode()


def test_a_section_shows_its_progress_and_its_questions(client, survey):
    client.post(url("start", survey.slug), {"privacy": "on"})
    html = client.get(url("section", survey.slug, 1)).content.decode()
    assert "Sezione 1 di 3" in html and "<progress" in html
    assert "In quale comune vivi?" in html and "Quale mezzo usi di più?" not in html
    assert "Altro comune / non residente" in html and html.count("<option") == 110  # blank + 108 + other


def test_errors_are_in_italian_next_to_each_field(client, survey, q):
    client.post(url("start", survey.slug), {"privacy": "on"})
    number = q(Kind.NUMBER)
    yes_no = q(Kind.YES_NO)
    reply = client.post(
        url("section", survey.slug, 1),
        {f"q{yes_no.pk}": str(q.opt(yes_no, "Sì")), f"q{number.pk}": "tre"},
    )
    html = reply.content.decode()
    assert reply.status_code == 200
    assert f'id="q{q(Kind.MUNICIPALITY).pk}-errore">Questa domanda è obbligatoria.' in html
    assert f'id="q{number.pk}-errore">Scrivi un numero intero, senza punti né virgole.' in html
    assert f'aria-describedby="q{number.pk}-condizione q{number.pk}-errore"' in html or (
        f'q{number.pk}-errore"' in html and 'aria-invalid="true"' in html
    )
    assert "Ci sono 3 risposte da correggere" in html
    assert Response.objects.count() == 0


def test_number_out_of_range_and_too_many_choices(client, survey, q):
    answer_through_pages(client, survey, section_posts(q)[:1])
    multiple = q(Kind.MULTIPLE)
    data = dict(section_posts(q)[1])
    data[f"q{multiple.pk}"] = [str(q.opt(multiple, x)) for x in ("Trasporti", "Lavoro", "Ambiente", "Turismo")]
    html = client.post(url("section", survey.slug, 2), data).content.decode()
    assert "Puoi scegliere al massimo 3 risposte." in html


def test_ranking_positions_must_be_filled_in_order(client, survey, q):
    answer_through_pages(client, survey, section_posts(q)[:1])
    ranking = q(Kind.RANKING)
    data = dict(section_posts(q)[1])
    data[f"q{ranking.pk}_r1"] = ""
    html = client.post(url("section", survey.slug, 2), data).content.decode()
    assert "Riempi le posizioni in ordine, dalla prima, senza lasciare buchi." in html
    data[f"q{ranking.pk}_r1"] = data[f"q{ranking.pk}_r2"]
    html = client.post(url("section", survey.slug, 2), data).content.decode()
    assert "Ogni voce può occupare una sola posizione." in html


def test_a_ranking_with_a_gap_is_explained_in_english_too(client, survey, q):
    """The message is the form's own, not picked out of the Italian text of an error."""
    answer_through_pages(client, survey, section_posts(q)[:1])
    ranking = q(Kind.RANKING)
    data = dict(section_posts(q)[1])
    data[f"q{ranking.pk}_r1"] = ""
    with translation.override("en"):
        html = client.post(url("section", survey.slug, 2), data).content.decode()
    assert "Fill in the positions in order, from the first, without leaving gaps." in html
    assert "Enter a whole number" not in html


def test_other_without_text_puts_the_message_by_the_text_field(client, survey, q):
    answer_through_pages(client, survey, section_posts(q)[:1])
    multiple = q(Kind.MULTIPLE)
    data = dict(section_posts(q)[1])
    data[f"q{multiple.pk}_other"] = ""
    html = client.post(url("section", survey.slug, 2), data).content.decode()
    assert f'id="q{multiple.pk}_other-errore">Hai scelto «Altro»: scrivi quale.' in html


def test_partial_answers_stay_in_the_session_and_nothing_is_stored_before_the_end(client, survey, q):
    posts = section_posts(q)
    answer_through_pages(client, survey, posts[:2])
    assert Response.objects.count() == 0
    # Going back shows what was chosen.
    html = client.get(url("section", survey.slug, 1)).content.decode()
    assert f'<option value="{MESSINA}" selected>Messina</option>' in html
    client.post(url("section", survey.slug, 3), posts[2])
    assert Response.objects.count() == 1


def test_sections_cannot_be_skipped(client, survey):
    client.post(url("start", survey.slug), {"privacy": "on"})
    reply = client.get(url("section", survey.slug, 3))
    assert reply["Location"] == url("section", survey.slug, 1)
    assert client.get(url("section", survey.slug, 9)).status_code == 404


def test_conditional_question_says_when_to_skip_it_without_javascript(client, survey, q):
    client.post(url("start", survey.slug), {"privacy": "on"})
    html = client.get(url("section", survey.slug, 1)).content.decode()
    assert "hai risposto «Sì»; altrimenti passa oltre." in html
    assert f'data-condition-field="q{q(Kind.YES_NO).pk}"' in html


def test_answer_to_a_skipped_conditional_question_is_ignored(client, survey, q):
    yes_no, number = q(Kind.YES_NO), q(Kind.NUMBER)
    posts = section_posts(q)
    posts[0][f"q{yes_no.pk}"] = str(q.opt(yes_no, "No"))
    posts[0][f"q{number.pk}"] = "9999"  # typed, then the person answered No: not validated, not kept
    reply = answer_through_pages(client, survey, posts)
    assert reply["Location"] == url("thanks", survey.slug)
    assert not Answer.objects.filter(question=number).exists()


def test_a_section_whose_questions_all_depend_on_other_answers_is_skipped(client, survey, q):
    from surveys.factories import QuestionFactory, SectionFactory

    single = q(Kind.SINGLE, 0)
    only_train = SectionFactory(questionnaire=survey, title="Treno", order=4)
    QuestionFactory(
        section=only_train, kind=Kind.SHORT_TEXT, text="Quale stazione?", condition_option_id=q.opt(single, "Treno")
    )
    posts = section_posts(q)
    answer_through_pages(client, survey, posts)
    reply = client.get(url("section", survey.slug, 4))
    assert reply.status_code == 200 and "Invia le risposte" in reply.content.decode()


def test_thanks_page_links_to_results_once_published(client, survey):
    html = client.get(url("thanks", survey.slug)).content.decode()
    assert "I risultati saranno pubblicati" in html
    survey.set_results_published(True)
    html = client.get(url("thanks", survey.slug)).content.decode()
    assert url("results", survey.slug) in html


def test_draft_questionnaire_is_not_found(client):
    draft = QuestionnaireFactory(status="draft")
    assert client.get(url("start", draft.slug)).status_code == 404


def test_questionnaire_outside_its_dates_explains_when(client):
    later = QuestionnaireFactory(
        opens_at=timezone.now() + timedelta(days=5), closes_at=timezone.now() + timedelta(days=9)
    )
    reply = client.get(url("start", later.slug))
    assert reply.status_code == 403
    assert "Il questionario si potrà compilare dal" in reply.content.decode()


def test_phase_gate_closes_answering_outside_the_listening_phase(client, survey, q):
    agenda = Phase.objects.get(key="agenda")
    with time_machine.travel(agenda.starts_at + timedelta(days=1)):
        survey.closes_at = timezone.now() + timedelta(days=400)
        survey.save()
        reply = client.get(url("start", survey.slug))
        assert reply.status_code == 403
        assert "Non è più possibile rispondere al questionario" in reply.content.decode()
        assert client.post(url("section", survey.slug, 1), section_posts(q)[0]).status_code == 403
    assert Response.objects.count() == 0


def test_phase_gate_open_in_the_listening_phase(client, survey):
    listening = Phase.objects.get(key="listening")
    with time_machine.travel(listening.starts_at + timedelta(hours=1)):
        assert client.get(url("start", survey.slug)).status_code == 200


@pytest.mark.parametrize("alongside", [False, True], ids=["alone-in-its-section", "with-another-question"])
def test_changing_a_controlling_answer_drops_the_answer_that_no_longer_applies(client, alongside):
    questionnaire = QuestionnaireFactory(slug="treni")
    first = SectionFactory(questionnaire=questionnaire, order=1)
    second = SectionFactory(questionnaire=questionnaire, order=2)
    third = SectionFactory(questionnaire=questionnaire, order=3)
    train = QuestionFactory(section=first, kind=Kind.YES_NO, text="Usi il treno?")
    line = QuestionFactory(
        section=second,
        kind=Kind.SHORT_TEXT,
        text="Quale linea?",
        condition_option=train.options.get(label="Sì"),
        order=1,
    )
    other = (
        QuestionFactory(section=second, kind=Kind.LIKERT, text="Ti piace viaggiare?", order=2) if alongside else None
    )
    QuestionFactory(section=third, kind=Kind.LIKERT, text="Il territorio è ben collegato")
    extra = {f"q{other.pk}": "3"} if other else {}
    yes, no = (str(train.options.get(label=label).pk) for label in ("Sì", "No"))

    client.post(url("start", questionnaire.slug), {"privacy": "on"})
    client.post(url("section", questionnaire.slug, 1), {f"q{train.pk}": yes})
    reply = client.post(url("section", questionnaire.slug, 2), {f"q{line.pk}": "Messina–Palermo", **extra})
    assert reply["Location"] == url("section", questionnaire.slug, 3)
    # Back to the first section: the answer changes, and the dependent question no longer applies.
    client.post(url("section", questionnaire.slug, 1), {f"q{train.pk}": no})
    if alongside:
        reply = client.post(url("section", questionnaire.slug, 2), extra)
    else:
        reply = client.get(url("section", questionnaire.slug, 2))
    assert reply["Location"] == url("section", questionnaire.slug, 3)
    reply = client.post(url("section", questionnaire.slug, 3), {f"q{third.questions.get().pk}": "4"})

    assert reply["Location"] == url("thanks", questionnaire.slug)
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(question=line).exists()


def test_the_start_page_lists_the_sections_from_the_cached_structure(client, survey):
    client.get(url("start", survey.slug))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url("start", survey.slug))
    assert "Il questionario ha 3 sezioni." in page.content.decode()
    assert not any("surveys_section" in query["sql"] for query in queries.captured_queries)


def test_a_closed_questionnaire_shares_the_results_link_of_the_other_pages(client):
    ended = QuestionnaireFactory(
        title="Chiuso da poco",
        opens_at=timezone.now() - timedelta(days=9),
        closes_at=timezone.now() - timedelta(days=1),
    )
    reply = client.get(url("start", ended.slug))
    html = reply.content.decode()
    assert reply.status_code == 403 and "Il questionario si è chiuso il" in html
    assert html.count("<h1>Chiuso da poco</h1>") == 1 and 'class="breadcrumb"' in html
    assert "I risultati saranno pubblicati su questo portale" in html
    ended.set_results_published(True)
    html = client.get(url("start", ended.slug)).content.decode()
    assert f'<a class="btn btn-primary" href="{url("results", ended.slug)}">Guarda i risultati</a>' in html
