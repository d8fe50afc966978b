"""The addresses of projects: the public catalogue, the annual agenda and open data, the reserved area's
portfolio, imports, proposals and agenda."""

from django.urls import path

from projects.views import agenda, agenda_public, imports, portfolio, proposals, public

app_name = "projects"

urlpatterns = [
    path("progetti/", public.catalogue, name="catalogue"),
    path("progetti/<int:pk>/", public.project_detail, name="detail"),
    path("area-riservata/progetti/", portfolio.office_projects, name="office_projects"),
    path("area-riservata/progetti/nuovo/", portfolio.project_new, name="create"),
    path("area-riservata/progetti/<int:pk>/modifica/", portfolio.project_edit, name="edit"),
    path("area-riservata/progetti/<int:pk>/pubblicazione/", portfolio.project_publish, name="publish"),
    path("area-riservata/progetti/importa/", imports.import_start, name="import"),
    path("area-riservata/progetti/importa/modello.xlsx", imports.import_template, name="import_template"),
    path("area-riservata/progetti/importa/<int:pk>/", imports.import_detail, name="import_detail"),
    path("area-riservata/progetti/importa/<int:pk>/stato.json", imports.import_status, name="import_status"),
    path("area-riservata/progetti/importa/<int:pk>/conferma/", imports.import_confirm_view, name="import_confirm"),
    path("area-riservata/proposte/", proposals.proposals, name="proposals"),
    path("area-riservata/proposte/nuova/", proposals.proposal_new, name="proposal_create"),
    path("area-riservata/proposte/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("agenda/", agenda_public.agenda_latest, name="agenda_latest"),
    path("agenda/<int:year>/", agenda_public.agenda_year, name="agenda_year"),
    path("area-riservata/agenda/", agenda.agenda_list, name="agenda_list"),
    path("area-riservata/agenda/nuova/", agenda.agenda_create, name="agenda_create"),
    path("area-riservata/agenda/<int:pk>/", agenda.agenda_detail, name="agenda_detail"),
    path("area-riservata/agenda/<int:pk>/ordine/", agenda.agenda_reorder, name="agenda_reorder"),
    path("area-riservata/agenda/<int:pk>/sottoponi/", agenda.agenda_submit, name="agenda_submit"),
    path("area-riservata/agenda/<int:pk>/azioni/nuova/", agenda.action_create, name="action_create"),
    path("area-riservata/agenda/azioni/<int:pk>/modifica/", agenda.action_edit, name="action_edit"),
    path("area-riservata/agenda/azioni/<int:pk>/elimina/", agenda.action_delete, name="action_delete"),
    path("opendata/agenda.csv", agenda_public.opendata_csv, name="agenda_csv"),
    path("opendata/progetti.csv", public.opendata_csv, name="opendata_csv"),
    path("opendata/progetti.json", public.opendata_json, name="opendata_json"),
]
