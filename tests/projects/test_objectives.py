"""Projects serve specific objectives of the plan: import, edit form, history, catalogue, open data, objective page."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from phases.factories import ObjectiveFactory
from phases.models import Objective
from projects.factories import ProjectFactory
from projects.importer import read_import
from projects.models import ChangeKind, Project, ProjectImport, Publication
from projects.objectives import resolve_objective_codes
from projects.services.bulk import import_write_rows
from tests.conftest import CAST
from tests.projects.conftest import csv_bytes
from tests.projects.test_editing import form_data

pytestmark = pytest.mark.django_db

OBJECTIVES_HEADER = ["CUP", "Titolo", "COD_COMUNE", "Codici obiettivo"]


@pytest.fixture
def tree():
    """Axis A, general A1, specifics A1.1 and A1.2; axis B with B1 and B1.1."""
    axis_a = ObjectiveFactory(code="A", order=1, title="Connessioni")
    a1 = ObjectiveFactory(code="A1", parent=axis_a, order=1, title="Strade sicure")
    axis_b = ObjectiveFactory(code="B", order=2, title="Territorio")
    b1 = ObjectiveFactory(code="B1", parent=axis_b, order=1, title="Rischio idrogeologico")
    return {
        "A": axis_a,
        "A1": a1,
        "A1.1": ObjectiveFactory(code="A1.1", parent=a1, order=1, title="Viabilità provinciale"),
        "A1.2": ObjectiveFactory(code="A1.2", parent=a1, order=2, title="Trasporto intercomunale"),
        "B": axis_b,
        "B1": b1,
        "B1.1": ObjectiveFactory(code="B1.1", parent=b1, order=1, title="Torrenti"),
    }


def objectives_file(*rows: tuple[str, str]) -> bytes:
    """Rows of (CUP, objective codes)."""
    return csv_bytes(
        [[cup, f"Strada {n}", "083048", codes] for n, (cup, codes) in enumerate(rows, start=1)],
        header=OBJECTIVES_HEADER,
    )


def codes(project: Project) -> list[str]:
    return sorted(project.objectives.values_list("code", flat=True))


# --- Resolving codes -------------------------------------------------------------------------------


def test_codes_resolve_to_specific_objectives_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        found, errors = resolve_objective_codes(["A1.2", "a1.1", "A1.2"])
    assert [o.code for o in found] == ["A1.2", "A1.1"] and errors == []


def test_unknown_and_non_specific_codes_are_explained(tree):
    found, errors = resolve_objective_codes(["Z9.9", "A1", "B", "B1.1"])
    assert [o.code for o in found] == ["B1.1"]
    assert errors == [
        "obiettivo sconosciuto: «Z9.9»",
        "«A1» non è un obiettivo specifico: indica un codice come A1.1",
        "«B» non è un obiettivo specifico: indica un codice come B1.1",
    ]


# --- Import ----------------------------------------------------------------------------------------


def test_import_links_the_objectives_and_records_them(login, office_a_user, tree, upload, confirm):
    client = login(office_a_user)
    upload(client, objectives_file(("B33C22000020006", "A1.1, B1.1"), ("B33C22000020007", "")))
    confirm(client, ProjectImport.objects.get())
    first, second = Project.objects.order_by("cup")
    assert codes(first) == ["A1.1", "B1.1"] and codes(second) == []
    assert first.changes.get().changes["objectives"] == [None, ["A1.1", "B1.1"]]


def test_reimport_replaces_the_objectives_and_a_file_without_the_column_keeps_them(office_a, tree):
    project = ProjectFactory(office=office_a, cup="B33C22000020006", objectives=[tree["A1.1"]])
    preview = read_import(objectives_file(("B33C22000020006", "A1.2,B1.1")), office=office_a)
    assert preview.ok and preview.to_update == 1
    import_write_rows(preview=preview, office=office_a, actor=None)
    assert codes(project) == ["A1.2", "B1.1"]
    change = project.changes.get(kind=ChangeKind.IMPORTED)
    assert change.changes["objectives"] == [["A1.1"], ["A1.2", "B1.1"]]

    without = csv_bytes([["B33C22000020006", "Strada 1", "083048"]], header=OBJECTIVES_HEADER[:3])
    import_write_rows(preview=read_import(without, office=office_a), office=office_a, actor=None)
    assert codes(project) == ["A1.2", "B1.1"]

    emptied = read_import(objectives_file(("B33C22000020006", "")), office=office_a)
    import_write_rows(preview=emptied, office=office_a, actor=None)
    assert codes(project) == []


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("A9.9", "obiettivo sconosciuto: «A9.9»"),
        ("A1", "«A1» non è un obiettivo specifico: indica un codice come A1.1"),
        ("A1.1, B", "«B» non è un obiettivo specifico"),
    ],
)
def test_bad_codes_are_errors_and_nothing_is_written(login, office_a_user, tree, upload, confirm, cell, message):
    client = login(office_a_user)
    upload(client, objectives_file(("B33C22000020006", "A1.2"), ("B33C22000020007", cell)))
    batch = ProjectImport.objects.get()
    assert batch.state == "invalid"
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "Codici obiettivo")]
    assert message in batch.errors[0]["message"]
    assert message in client.get(batch.get_absolute_url()).content.decode()
    confirm(client, batch)
    assert not Project.objects.exists()


def test_the_import_looks_objectives_up_once(office_a, tree, django_assert_max_num_queries):
    rows = [(f"B33C220000{n:05d}", "A1.1,A1.2") for n in range(1, 41)]
    with django_assert_max_num_queries(10) as small:
        read_import(objectives_file(*rows[:2]), office=office_a)
    with django_assert_max_num_queries(len(small)):
        preview = read_import(objectives_file(*rows), office=office_a)
    assert preview.ok and all(len(row.objectives) == 2 for row in preview.rows)


# --- Edit form and history -------------------------------------------------------------------------


def test_the_form_offers_specific_objectives_in_tree_order(login, office_a_user, tree):
    form = login(office_a_user).get(reverse("projects:create")).context["form"]
    field = form.fields["objectives"]
    assert [o.code for o in field.queryset] == ["A1.1", "A1.2", "B1.1"]
    assert field.label == "Obiettivi specifici del piano"
    assert field.label_from_instance(tree["A1.2"]) == "A1.2 — Trasporto intercomunale"


def test_staff_choose_objectives_and_the_history_records_them(login, office_a_user, tree):
    client = login(office_a_user)
    client.post(reverse("projects:create"), form_data(objectives=[tree["A1.1"].pk]))
    project = Project.objects.get()
    assert codes(project) == ["A1.1"]
    client.post(reverse("projects:edit", args=[project.pk]), form_data(objectives=[tree["A1.2"].pk, tree["B1.1"].pk]))
    assert codes(project) == ["A1.2", "B1.1"]
    change = project.changes.get(kind=ChangeKind.UPDATED)
    assert change.changes == {"objectives": [["A1.1"], ["A1.2", "B1.1"]]}
    html = client.get(project.get_absolute_url()).content.decode()
    assert "<strong>obiettivi specifici (codici)</strong>" in html
    assert f'href="{tree["B1.1"].get_absolute_url()}"' in html


def test_an_axis_cannot_be_chosen_in_the_form(login, office_a_user, tree):
    response = login(office_a_user).post(reverse("projects:create"), form_data(objectives=[tree["A"].pk]))
    assert response.status_code == 200 and not Project.objects.exists()
    assert response.context["form"].errors["objectives"]


# --- Catalogue, open data ----------------------------------------------------------------------------


@pytest.fixture
def linked(office_a, tree):
    return {
        "road": ProjectFactory(office=office_a, title="Strada", objectives=[tree["A1.1"], tree["A1.2"]]),
        "bus": ProjectFactory(office=office_a, title="Autobus", objectives=[tree["A1.2"]]),
        "river": ProjectFactory(office=office_a, title="Torrente", objectives=[tree["B1.1"]]),
        "draft": ProjectFactory(
            office=office_a, title="Bozza", objectives=[tree["A1.2"]], publication=Publication.DRAFT
        ),
        "none": ProjectFactory(office=office_a, title="Senza obiettivi"),
    }


def catalogue_titles(client, **params) -> list[str]:
    return [p.title for p in client.get(reverse("projects:catalogue"), params).context["page"]]


def test_catalogue_filters_by_objective(client, linked):
    assert catalogue_titles(client, obiettivo="A1.2") == ["Autobus", "Strada"]
    assert catalogue_titles(client, obiettivo="B1.1") == ["Torrente"]
    assert catalogue_titles(client, obiettivo="A1.1;A1.2") == ["Autobus", "Strada"]  # each project once
    html = client.get(reverse("projects:catalogue"), {"obiettivo": "A1.2"}).content.decode()
    assert '<option value="A1.2" selected>A1.2 Trasporto intercomunale</option>' in html


def test_serving_takes_a_list_or_a_queryset_of_objectives(linked, tree):
    def titles(queryset) -> list[str]:
        return sorted(queryset.values_list("title", flat=True))

    assert titles(Project.objects.serving([tree["A1.1"], tree["A1.2"]])) == ["Autobus", "Bozza", "Strada"]
    assert titles(Project.objects.published().serving(Objective.objects.filter(code="B1.1"))) == ["Torrente"]
    assert titles(Project.objects.serving([])) == []


def test_catalogue_explains_a_general_objective(client, linked):
    response = client.get(reverse("projects:catalogue"), {"obiettivo": "A1"})
    assert [p.title for p in response.context["page"]] == []
    assert "«A1» non è un obiettivo specifico" in response.content.decode()


def test_open_data_lists_objective_codes(client, linked):
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("projects:opendata_csv")).content.decode())))
    by_title = {row["title"]: row["objective_codes"] for row in rows}
    assert by_title == {"Strada": "A1.1;A1.2", "Autobus": "A1.2", "Torrente": "B1.1", "Senza obiettivi": ""}
    data = json.loads(client.get(reverse("projects:opendata_json")).content)
    assert {p["title"]: p["objective_codes"] for p in data["projects"]}["Strada"] == ["A1.1", "A1.2"]


@pytest.mark.parametrize("size", [2, 25])
def test_open_data_objective_codes_query_count(client, office_a, tree, django_assert_max_num_queries, size):
    ProjectFactory.create_batch(size, office=office_a, objectives=[tree["A1.1"], tree["B1.1"]])
    with django_assert_max_num_queries(5):
        client.get(reverse("projects:opendata_csv"))
    with django_assert_max_num_queries(5):
        client.get(reverse("projects:opendata_json"))


# --- Objective page ------------------------------------------------------------------------------------


def page_titles(client, code: str, **params) -> list[str]:
    response = client.get(reverse("phases:objective", args=[code]), params)
    assert response.status_code == 200
    return [p.title for p in objective_projects(response)]


def objective_projects(response):
    """The page of projects in the section the projects add to the objective's page."""
    (section,) = [s for s in response.context["sections"] if s["template"] == "projects/_objective_section.html"]
    return section["projects"]


def test_objective_page_lists_published_projects(client, linked, tree):
    assert page_titles(client, "A1.2") == ["Autobus", "Strada"]
    html = client.get(reverse("phases:objective", args=["A1.2"])).content.decode()
    assert f'href="{linked["bus"].get_absolute_url()}"' in html
    assert "?obiettivo=A1.2" in html  # the same projects in the catalogue
    # a general objective and an axis gather the projects of the specific objectives below them
    assert page_titles(client, "A1") == ["Autobus", "Strada"]
    assert page_titles(client, "A") == ["Autobus", "Strada"]
    assert page_titles(client, "B") == ["Torrente"]


def test_objective_page_without_projects_says_so(client, tree):
    html = client.get(reverse("phases:objective", args=["B1.1"])).content.decode()
    assert "Nessun progetto pubblicato contribuisce ancora a questo obiettivo." in html


@pytest.mark.parametrize("name", CAST)
def test_drafts_are_never_listed_on_the_objective_page(login, cast, linked, name):
    client = login(cast(name))
    assert "Bozza" not in page_titles(client, "A1.2")
    assert "Bozza" not in page_titles(client, "A")


def test_objective_page_paginates(client, office_a, tree):
    ProjectFactory.create_batch(25, office=office_a, objectives=[tree["A1.1"]])
    assert len(page_titles(client, "A1.1")) == 20
    assert len(page_titles(client, "A1.1", pagina=2)) == 5
    assert len(page_titles(client, "A1.1", pagina="x")) == 20


@pytest.mark.parametrize("size", [2, 30])
def test_objective_page_query_count_is_constant(client, office_a, tree, django_assert_max_num_queries, size):
    ProjectFactory.create_batch(size, office=office_a, objectives=[tree["A1.1"]])
    with django_assert_max_num_queries(10):
        client.get(reverse("phases:objective", args=["A1.1"]))
    with django_assert_max_num_queries(10):
        client.get(reverse("phases:objective", args=["A"]))
