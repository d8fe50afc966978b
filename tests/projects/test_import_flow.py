"""Upload, preview, confirm, write all or none; re-import without duplicates; the command; progress."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from projects.factories import ProjectFactory
from projects.models import ChangeKind, FundingLine, ImportState, Project, ProjectChange, ProjectImport
from psm_portal.audit.models import AuditEvent
from tests.projects.conftest import HEADER, csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_preview_then_confirm_writes_everything(login, office_a_user, upload, confirm):
    client = login(office_a_user)
    upload(client, xlsx_bytes([good_row(1), good_row(2, istat="083041")]), name="progetti.xlsx")
    batch = ProjectImport.objects.get()
    assert batch.state == ImportState.PREVIEW
    assert (batch.to_create, batch.to_update, batch.errors) == (2, 0, [])
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "2 progetti da creare e 0 da aggiornare" in page
    assert not Project.objects.exists()  # nothing written before the confirmation
    response = confirm(client, batch)
    assert response.url == batch.get_absolute_url()
    batch.refresh_from_db()
    assert batch.state == ImportState.DONE
    project = Project.objects.get(cup="B33C220000000" + "01")
    assert project.office == office_a_user.office
    assert project.total_cost == Decimal("1234567.89")
    assert list(project.funding_lines.values_list("source", "amount")) == [("pnrr", Decimal("1000000.00"))]
    assert list(project.municipalities.values_list("istat_code", flat=True)) == ["083048"]
    change = project.changes.get()
    assert change.kind == ChangeKind.IMPORTED and change.actor == office_a_user and change.note == "progetti.xlsx"
    assert AuditEvent.objects.filter(action="projects.import").count() == 1


def test_confirm_twice_imports_once(login, office_a_user, upload, confirm):
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1)]))
    batch = ProjectImport.objects.get()
    confirm(client, batch)
    confirm(client, batch)
    assert Project.objects.count() == 1


def test_reimporting_the_same_file_creates_no_duplicate(login, office_a_user, upload, confirm):
    client = login(office_a_user)
    data = csv_bytes([good_row(1), good_row(2)])
    for _ in range(2):
        upload(client, data)
        confirm(client, ProjectImport.objects.latest("pk"))
    assert Project.objects.count() == 2
    second = ProjectImport.objects.latest("pk")
    assert (second.to_create, second.to_update) == (0, 2)
    assert ProjectChange.objects.count() == 2  # the second import changed nothing, so no new history


def test_update_by_cup_records_what_changed(office_a_user, office_a):
    project = ProjectFactory(office=office_a, cup="B33C22000000001", title="Vecchio titolo", total_cost=Decimal("10"))
    from projects.importer import read_import
    from projects.services.bulk import import_write_rows

    preview = read_import(csv_bytes([good_row(1, title="Nuovo titolo")]), office=office_a)
    assert preview.to_update == 1 and preview.rows[0].project_id == project.pk
    import_write_rows(preview=preview, office=office_a, actor=office_a_user)
    project.refresh_from_db()
    assert project.title == "Nuovo titolo"
    change = project.changes.get()
    assert change.changes["title"] == ["Vecchio titolo", "Nuovo titolo"]
    assert change.changes["total_cost"] == ["10.00", "1234567.89"]
    assert change.changes["municipalities"] == [[], ["083048"]]


def test_update_by_local_code_when_there_is_no_cup(office_a):
    from projects.importer import read_import

    existing = ProjectFactory(office=office_a, cup="", status="idea", local_code="IDEA-7")
    data = csv_bytes(
        [["IDEA-7", "Idea aggiornata", "idea", "083048"]], header=["Codice locale", "Titolo", "Stato", "COD_COMUNE"]
    )
    preview = read_import(data, office=office_a)
    assert preview.errors == [] and preview.rows[0].project_id == existing.pk


def test_a_cup_of_another_office_is_an_error(office_a, office_b):
    from projects.importer import read_import

    ProjectFactory(office=office_b, cup="B33C22000000001")
    preview = read_import(csv_bytes([good_row(1)]), office=office_a)
    assert preview.errors[0].message == "il CUP B33C22000000001 è già di un progetto di un altro ufficio"


@pytest.mark.parametrize("dropped", ["Codice locale", "CUP"])
def test_reimport_without_a_code_column_keeps_the_code(office_a, dropped):
    from projects.importer import read_import
    from projects.services.bulk import import_write_rows

    row = good_row(1, status="idea")  # without a CUP column only ideas pass the check
    import_write_rows(preview=read_import(csv_bytes([row]), office=office_a), office=office_a, actor=None)
    keep = [i for i, name in enumerate(HEADER) if name != dropped]
    data = csv_bytes([[row[i] for i in keep]], header=[HEADER[i] for i in keep])
    preview = read_import(data, office=office_a)
    assert preview.errors == [] and preview.to_update == 1
    import_write_rows(preview=preview, office=office_a, actor=None)
    project = Project.objects.get()
    assert (project.cup, project.local_code) == ("B33C22000000001", "LOC-1")
    assert project.changes.count() == 1  # only the creation: the second file changed nothing


def test_a_local_code_of_another_project_of_the_office_is_an_error(login, office_a_user, office_a, upload, confirm):
    ProjectFactory(office=office_a, cup="B33C22000000001", local_code="LOC-1")
    other = ProjectFactory(office=office_a, cup="B33C22000000002", local_code="LOC-2")
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1, code="LOC-2")]))  # found by CUP, but LOC-2 is the other project's
    batch = ProjectImport.objects.get()
    assert batch.state == ImportState.INVALID
    assert batch.errors == [
        {
            "row": 2,
            "column": "Codice locale",
            "message": "il codice locale «LOC-2» è già di un altro progetto dell'ufficio",
        }
    ]
    other.refresh_from_db()
    assert other.local_code == "LOC-2" and not ProjectChange.objects.exists()


def test_all_or_none_when_writing_fails(login, office_a_user, upload, confirm, monkeypatch):
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(n) for n in range(1, 6)]))
    batch = ProjectImport.objects.get()

    from projects.services import bulk

    real_insert = bulk._insert_rows

    def explode(model, *args, **kwargs):
        if model is ProjectChange:  # the last write of the import fails
            raise RuntimeError("disk full")
        return real_insert(model, *args, **kwargs)

    monkeypatch.setattr(bulk, "_insert_rows", explode)
    response = confirm(client, batch)  # the failure is shown on the batch's page, not as a 500
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED
    assert "nessuna riga è stata importata" in batch.errors[0]["message"]
    assert not Project.objects.exists() and not FundingLine.objects.exists()


def test_the_catalogue_changing_between_preview_and_confirm_is_caught(login, office_a_user, office_b, upload, confirm):
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1), good_row(2)]))
    batch = ProjectImport.objects.get()
    ProjectFactory(office=office_b, cup="B33C22000000002")  # another office takes a CUP meanwhile
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED
    assert Project.objects.count() == 1  # only office B's


def test_status_endpoint_reports_progress(login, office_a_user, upload):
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(n) for n in range(1, 1201)]))
    batch = ProjectImport.objects.get()
    data = json.loads(client.get(reverse("projects:import_status", args=[batch.pk])).content)
    assert data == {
        "state": "preview",
        "label": "anteprima pronta",
        "running": False,
        "resumed": False,
        "processed": 1200,
        "total": 1200,
        "percent": 100,
    }


def test_progress_of_a_running_task_comes_from_the_cache(login, office_a_user, office_a):
    from django.core.files.base import ContentFile

    from projects.services.imports import _reporter

    batch = ProjectImport(office=office_a, uploaded_by=office_a_user, original_name="grande.csv")
    batch.file.save("grande.csv", ContentFile(b"x"), save=True)
    _reporter(batch, start=0.5, share=0.5)(5000, 10000)  # writing, half done
    data = json.loads(login(office_a_user).get(reverse("projects:import_status", args=[batch.pk])).content)
    assert (data["processed"], data["total"], data["percent"], data["running"]) == (7500, 10000, 75, True)


def test_running_import_page_has_progress_bar_and_no_inline_script(login, office_a_user, office_a):
    from django.core.files.base import ContentFile

    batch = ProjectImport(office=office_a, uploaded_by=office_a_user, original_name="grande.csv", total_rows=10000)
    batch.processed_rows = 2500
    batch.file.save("grande.csv", ContentFile(b"x"), save=True)
    html = login(office_a_user).get(batch.get_absolute_url()).content.decode()
    assert 'max="10000" value="2500"' in html and "<progress" in html
    assert "psm/js/progress.js" in html
    assert "<script>" not in html
    assert "Aggiorna la pagina" in html  # works without JavaScript


def test_team_imports_for_a_chosen_office(login, team_user, office_b, upload, confirm):
    client = login(team_user)
    upload(client, csv_bytes([good_row(1)]), office=office_b.pk)
    confirm(client, ProjectImport.objects.get())
    assert Project.objects.get().office == office_b


def test_import_is_closed_outside_its_phases(login, office_a_user, final_phase):
    response = login(office_a_user).get(reverse("projects:import"))
    assert response.status_code == 403
    assert "caricare il parco progettuale" in response.content.decode()


# --- manage.py import_projects -------------------------------------------------------------------


def test_command_dry_run_writes_nothing_and_exits_0(tmp_path, office_a, capsys):
    path = tmp_path / "progetti.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2)]))
    call_command("import_projects", str(path), office="viabilita", dry_run=True)
    assert "2 progetti da creare, 0 da aggiornare" in capsys.readouterr().out
    assert not Project.objects.exists()


def test_command_imports_and_reimport_creates_no_duplicate(tmp_path, office_a, capsys):
    path = tmp_path / "progetti.xlsx"
    path.write_bytes(xlsx_bytes([good_row(1), good_row(2)]))
    call_command("import_projects", str(path), office="viabilita")
    call_command("import_projects", str(path), office="viabilita")
    assert "0 progetti creati, 2 aggiornati" in capsys.readouterr().out
    assert Project.objects.count() == 2


def test_command_and_confirmation_write_and_audit_alike(tmp_path, login, office_a_user, office_a, upload, confirm):
    path = tmp_path / "comando.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2)]))
    call_command("import_projects", str(path), office="viabilita")
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(2), good_row(3)]), name="web.csv")
    confirm(client, ProjectImport.objects.get())
    by_command, by_web = AuditEvent.objects.filter(action="projects.import").order_by("pk")
    assert by_command.after == {"created": 2, "updated": 0, "file": "comando.csv"}
    assert by_web.after == {"created": 1, "updated": 1, "file": "web.csv"}
    assert set(ProjectChange.objects.values_list("note", flat=True)) == {"comando.csv", "web.csv"}


def test_command_prints_each_error_and_exits_1(tmp_path, office_a, capsys):
    path = tmp_path / "progetti.csv"
    path.write_bytes(csv_bytes([good_row(1, cup="nope"), good_row(2, pnrr="-3")]))
    with pytest.raises(CommandError) as error:
        call_command("import_projects", str(path), office="viabilita")
    assert error.value.returncode == 1
    err = capsys.readouterr().err
    assert "riga 2, colonna «CUP»: CUP «NOPE» non valido" in err
    assert "riga 3, colonna «Finanziamento PNRR»: l'importo è negativo" in err
    assert not Project.objects.exists()


def test_command_unknown_office_exits_1(tmp_path):
    path = tmp_path / "progetti.csv"
    path.write_bytes(csv_bytes([good_row(1)]))
    with pytest.raises(CommandError) as error:
        call_command("import_projects", str(path), office="nessuno")
    assert error.value.returncode == 1 and "sconosciuto" in str(error.value)
