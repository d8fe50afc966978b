"""One rule set for a valid project: the importer, the project form and the model refuse the same things with
the same Italian messages as before (CUP shape, CUP required except for ideas, end after start, lengths)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from projects import rules
from projects.factories import ProjectFactory
from projects.forms import ProjectForm
from projects.importer import read_import
from projects.models import Project, Status
from tests.projects.conftest import csv_bytes, good_row
from tests.projects.test_editing import form_data

pytestmark = pytest.mark.django_db

# Sixteen characters; fifteen ending with a letter: both look almost right.
WRONG_SHAPE_CUPS = ["B33C220000200061", "B33C2200002000X"]
CUP_SHAPE = "Il CUP deve avere 15 caratteri: una lettera, due cifre, una lettera e undici cifre (es. B33C22000020006)."


def model_errors(project: Project) -> dict:
    with pytest.raises(ValidationError) as refused:
        project.full_clean(exclude=["municipalities", "objectives"])
    return refused.value.message_dict


@pytest.mark.parametrize("cup", WRONG_SHAPE_CUPS)
def test_the_importer_refuses_a_cup_of_the_wrong_shape(office_a, cup):
    preview = read_import(csv_bytes([good_row(1, cup=cup)]), office=office_a)
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (
            2,
            "CUP",
            f"CUP «{cup}» non valido: deve avere 15 caratteri, una lettera, due cifre, una lettera e undici cifre",
        )
    ]
    assert preview.rows == []


@pytest.mark.parametrize("cup", WRONG_SHAPE_CUPS)
def test_the_form_and_the_model_refuse_a_cup_of_the_wrong_shape(office_a, office_a_user, cup):
    form = ProjectForm(data=form_data(cup=cup), user=office_a_user)
    assert form.errors["cup"] == [CUP_SHAPE]
    assert CUP_SHAPE in model_errors(ProjectFactory.build(office=office_a, cup=cup))["cup"]


def test_a_well_formed_cup_passes_everywhere(office_a, office_a_user):
    assert read_import(csv_bytes([good_row(1, cup="b33c 2200 0020006")]), office=office_a).ok
    form = ProjectForm(data=form_data(cup=" b33c 2200 0020006 "), user=office_a_user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cup"] == "B33C22000020006"
    ProjectFactory.build(office=office_a, cup="B33C22000020006").full_clean(exclude=["municipalities", "objectives"])


def test_the_cup_is_required_except_for_ideas_everywhere(office_a, office_a_user):
    preview = read_import(csv_bytes([good_row(1, cup=""), good_row(2, cup="", status="idea")]), office=office_a)
    assert [(e.row, e.message) for e in preview.errors] == [(2, "manca il CUP: è obbligatorio tranne che per le idee")]
    assert ProjectForm(data=form_data(cup=""), user=office_a_user).errors["cup"] == [
        "Il CUP è obbligatorio, tranne che per le idee."
    ]
    assert ProjectForm(data=form_data(cup="", status="idea"), user=office_a_user).is_valid()
    assert model_errors(ProjectFactory.build(office=office_a, cup="", status=Status.FUNDED))["cup"] == [
        "Il CUP è obbligatorio, tranne che per le idee."
    ]
    ProjectFactory.build(office=office_a, cup="", status=Status.IDEA).full_clean(
        exclude=["municipalities", "objectives"]
    )


def test_the_end_comes_after_the_start_everywhere(office_a, office_a_user):
    header = ["CUP", "Titolo", "COD_COMUNE", "Inizio effettivo", "Fine effettiva"]
    data = csv_bytes([["B33C22000020006", "Strada", "083048", "01/06/2025", "01/01/2025"]], header=header)
    assert [e.message for e in read_import(data, office=office_a).errors] == [
        "la fine effettiva (01/01/2025) è precedente all'inizio effettivo (01/06/2025)"
    ]
    form = ProjectForm(data=form_data(actual_start="01/06/2025", actual_end="01/01/2025"), user=office_a_user)
    assert form.errors["actual_end"] == ["La fine effettiva è precedente all'inizio effettivo."]
    project = ProjectFactory.build(office=office_a, planned_start=date(2025, 6, 1), planned_end=date(2025, 1, 1))
    assert model_errors(project) == {"planned_end": ["La fine prevista è precedente all'inizio previsto."]}


@pytest.mark.parametrize("name", ["title", "summary", "description"])
def test_the_importer_takes_text_lengths_from_the_model(office_a, name):
    limit = Project._meta.get_field(name).max_length
    header = ["CUP", "Codici ISTAT dei comuni", "Titolo", "Sintesi", "Descrizione"]

    def preview(length: int):
        texts = {"title": "Strada", "summary": "", "description": "", name: "x" * length}
        row = ["B33C22000020006", "083048", texts["title"], texts["summary"], texts["description"]]
        return read_import(csv_bytes([row], header=header), office=office_a)

    assert preview(limit).ok
    expected = "il titolo supera i 300 caratteri" if name == "title" else f"il testo supera i {limit} caratteri"
    assert [e.message for e in preview(limit + 1).errors] == [expected]


def test_the_title_phrase_names_the_models_limit():
    """The catalogue's phrase has the number written in it: it must be the field's own."""
    title = Project._meta.get_field("title")
    assert title.max_length == 300
    assert rules.too_long(title, "x" * 301) == "il titolo supera i 300 caratteri"
    assert rules.too_long(title, "x" * 300) is None
