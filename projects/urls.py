"""The addresses of projects: the public catalogue and open data, the reserved area's portfolio, imports and
proposals."""

from django.urls import path

from projects.views import imports, portfolio, proposals, public

app_name = "projects"

urlpatterns = [
    path("progetti/", public.catalogue, name="catalogue"),
    path("progetti/<int:pk>/", public.project_detail, name="detail"),
    path("area-riservata/progetti/", portfolio.office_projects, name="office_projects"),
    path("area-riservata/progetti/nuovo/", portfolio.project_new, name="create"),
    path("area-riservata/progetti/pubblica/", portfolio.projects_publish_many_view, name="publish_many"),
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
    path("opendata/progetti.csv", public.opendata_csv, name="opendata_csv"),
    path("opendata/progetti.json", public.opendata_json, name="opendata_json"),
]
