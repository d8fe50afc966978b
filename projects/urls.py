from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("progetti/", views.catalogue, name="catalogue"),
    path("progetti/<int:pk>/", views.project_detail, name="detail"),
    path("area-riservata/progetti/", views.office_projects, name="office_projects"),
    path("area-riservata/progetti/nuovo/", views.project_new, name="create"),
    path("area-riservata/progetti/<int:pk>/modifica/", views.project_edit, name="edit"),
    path("area-riservata/progetti/<int:pk>/pubblicazione/", views.project_publish, name="publish"),
    path("area-riservata/progetti/importa/", views.import_start, name="import"),
    path("area-riservata/progetti/importa/modello.xlsx", views.import_template, name="import_template"),
    path("area-riservata/progetti/importa/<int:pk>/", views.import_detail, name="import_detail"),
    path("area-riservata/progetti/importa/<int:pk>/stato.json", views.import_status, name="import_status"),
    path("area-riservata/progetti/importa/<int:pk>/conferma/", views.import_confirm_view, name="import_confirm"),
    path("area-riservata/proposte/", views.proposals, name="proposals"),
    path("area-riservata/proposte/nuova/", views.proposal_new, name="proposal_create"),
    path("area-riservata/proposte/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("opendata/progetti.csv", views.opendata_csv, name="opendata_csv"),
    path("opendata/progetti.json", views.opendata_json, name="opendata_json"),
]
