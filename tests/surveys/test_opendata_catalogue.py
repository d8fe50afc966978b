from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import Questionnaire

pytestmark = pytest.mark.django_db


def test_catalogue_lists_questionnaires_with_public_results_only(client):
    from surveys.factories import QuestionnaireFactory

    public = QuestionnaireFactory(title="Messina 2030", status=Questionnaire.Status.PUBLISHED, results_published=True)
    hidden = QuestionnaireFactory(title="Bozza", status=Questionnaire.Status.PUBLISHED, results_published=False)
    html = client.get(reverse("opendata")).content.decode()
    assert reverse("surveys:opendata_csv", args=[public.slug]) in html
    assert reverse("surveys:opendata_json", args=[public.slug]) in html
    assert reverse("surveys:opendata_csv", args=[hidden.slug]) not in html
