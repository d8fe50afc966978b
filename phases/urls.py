"""The addresses of the process: the public pages, the reserved area (area-riservata/) and the open data."""

from django.urls import path, re_path

from phases.views import coverage, manage_phases, manage_vision, needs, opendata, positions, public

app_name = "phases"

urlpatterns = [
    path("fasi/", public.timeline, name="timeline"),
    path("visione/", public.vision, name="vision"),
    path("visione/versioni/", public.vision_versions, name="vision_versions"),
    path("visione/versioni/<int:number>/", public.vision_version, name="vision_version"),
    path("visione/confronta/", public.vision_diff, name="vision_diff"),
    # The shape of a code (A, A1, A1.2): anything else (a NUL byte too) is a 404 before it reaches the database.
    re_path(r"^visione/obiettivi/(?P<code>[A-Z][0-9]*(?:\.[0-9]+)*)/$", public.objective_detail, name="objective"),
    path("area-riservata/fasi/", manage_phases.manage, name="manage"),
    path("area-riservata/fasi/<int:pk>/chiudi/", manage_phases.phase_close, name="phase_close"),
    path("area-riservata/fasi/<int:pk>/date/", manage_phases.phase_dates, name="phase_dates"),
    path("area-riservata/visione/", manage_vision.manage_vision, name="manage_vision"),
    path("area-riservata/visione/versioni/nuova/", manage_vision.version_create, name="version_create"),
    path("area-riservata/visione/versioni/<int:pk>/modifica/", manage_vision.version_edit, name="version_edit"),
    path("area-riservata/visione/versioni/<int:pk>/apri/", manage_vision.version_open, name="version_open"),
    path("area-riservata/visione/versioni/<int:pk>/chiudi/", manage_vision.version_close, name="version_close"),
    path("area-riservata/visione/versioni/<int:pk>/adotta/", manage_vision.version_adopt, name="version_adopt"),
    path("area-riservata/visione/obiettivi/nuovo/", manage_vision.objective_edit, name="objective_create"),
    path("area-riservata/visione/obiettivi/<int:pk>/modifica/", manage_vision.objective_edit, name="objective_edit"),
    path("area-riservata/posizioni/", positions.my_positions, name="my_positions"),
    path("area-riservata/posizioni/allegati/<int:pk>/", positions.position_attachment, name="position_attachment"),
    # A comune's ISTAT code or an office's code, "visione" or an objective's code: a NUL byte or any other
    # character is a 404 before it reaches the database.
    path("area-riservata/posizioni/<slug:kind>/<slug:key>/", positions.positions, name="positions"),
    re_path(
        r"^area-riservata/posizioni/(?P<kind>[-\w]+)/(?P<key>[-\w]+)/(?P<target>[-\w.]+)/$",
        positions.position_save,
        name="position_save",
    ),
    path("area-riservata/consultazione/", coverage.coverage_dashboard, name="coverage"),
    path("area-riservata/consultazione/promemoria/", coverage.coverage_remind, name="coverage_remind"),
    path("area-riservata/istanze/", needs.needs, name="needs"),
    path("area-riservata/istanze/nuova/", needs.need_create, name="need_create"),
    path("area-riservata/istanze/ricevute/", needs.needs_review, name="needs_review"),
    path("area-riservata/istanze/<int:pk>/", needs.need_detail, name="need_detail"),
    path("area-riservata/istanze/allegati/<int:pk>/", needs.need_attachment, name="need_attachment"),
    path("opendata/obiettivi.csv", opendata.opendata_objectives, name="opendata_objectives"),
    path("opendata/posizioni.csv", opendata.opendata_positions, name="opendata_positions"),
]
