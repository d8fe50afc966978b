from django.urls import path, re_path

from phases import views
from phases.views import needs

app_name = "phases"

urlpatterns = [
    path("fasi/", views.timeline, name="timeline"),
    path("visione/", views.vision, name="vision"),
    path("visione/versioni/", views.vision_versions, name="vision_versions"),
    path("visione/versioni/<int:number>/", views.vision_version, name="vision_version"),
    path("visione/confronta/", views.vision_diff, name="vision_diff"),
    # The shape of a code (A, A1, A1.2): anything else (a NUL byte too) is a 404 before it reaches the database.
    re_path(r"^visione/obiettivi/(?P<code>[A-Z][0-9]*(?:\.[0-9]+)*)/$", views.objective_detail, name="objective"),
    path("area-riservata/fasi/", views.manage, name="manage"),
    path("area-riservata/fasi/<int:pk>/chiudi/", views.phase_close, name="phase_close"),
    path("area-riservata/fasi/<int:pk>/date/", views.phase_dates, name="phase_dates"),
    path("area-riservata/visione/", views.manage_vision, name="manage_vision"),
    path("area-riservata/visione/versioni/nuova/", views.version_create, name="version_create"),
    path("area-riservata/visione/versioni/<int:pk>/modifica/", views.version_edit, name="version_edit"),
    path("area-riservata/visione/versioni/<int:pk>/apri/", views.version_open, name="version_open"),
    path("area-riservata/visione/versioni/<int:pk>/chiudi/", views.version_close, name="version_close"),
    path("area-riservata/visione/versioni/<int:pk>/adotta/", views.version_adopt, name="version_adopt"),
    path("area-riservata/visione/obiettivi/nuovo/", views.objective_edit, name="objective_create"),
    path("area-riservata/visione/obiettivi/<int:pk>/modifica/", views.objective_edit, name="objective_edit"),
    path("area-riservata/posizioni/", views.my_positions, name="my_positions"),
    path("area-riservata/posizioni/allegati/<int:pk>/", views.position_attachment, name="position_attachment"),
    # A comune's ISTAT code or an office's code, "visione" or an objective's code: a NUL byte or any other
    # character is a 404 before it reaches the database.
    path("area-riservata/posizioni/<slug:kind>/<slug:key>/", views.positions, name="positions"),
    re_path(
        r"^area-riservata/posizioni/(?P<kind>[-\w]+)/(?P<key>[-\w]+)/(?P<target>[-\w.]+)/$",
        views.position_save,
        name="position_save",
    ),
    path("area-riservata/consultazione/", views.coverage_dashboard, name="coverage"),
    path("area-riservata/consultazione/promemoria/", views.coverage_remind, name="coverage_remind"),
    path("area-riservata/istanze/", needs.needs, name="needs"),
    path("area-riservata/istanze/nuova/", needs.need_create, name="need_create"),
    path("area-riservata/istanze/ricevute/", needs.needs_review, name="needs_review"),
    path("area-riservata/istanze/<int:pk>/", needs.need_detail, name="need_detail"),
    path("area-riservata/istanze/allegati/<int:pk>/", needs.need_attachment, name="need_attachment"),
    path("opendata/obiettivi.csv", views.opendata_objectives, name="opendata_objectives"),
    path("opendata/posizioni.csv", views.opendata_positions, name="opendata_positions"),
]
