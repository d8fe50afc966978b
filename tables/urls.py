"""The addresses of the working tables: public /tavoli/ pages, calendars and open data; the reserved area's
management."""

from django.urls import path

from tables.views import public, reserved

app_name = "tables"

urlpatterns = [
    path("tavoli/", public.index, name="index"),
    path("tavoli/<int:pk>/", public.table_detail, name="table"),
    path("tavoli/<int:pk>/calendario.ics", public.table_calendar, name="table_calendar"),
    path("tavoli/sedute/<int:pk>/", public.session_detail, name="session"),
    path("tavoli/documenti/<int:pk>/", public.document, name="document"),
    path("tavoli/calendario/<str:token>.ics", public.personal_calendar, name="personal_calendar"),
    path("opendata/tavoli.csv", public.opendata_csv, name="opendata_csv"),
    path("area-riservata/tavoli/", reserved.home, name="home"),
    path("area-riservata/tavoli/calendario/", reserved.feed_view, name="feed"),
    path("area-riservata/tavoli/nuovo/", reserved.table_edit, name="table_create"),
    path("area-riservata/tavoli/<int:pk>/modifica/", reserved.table_edit, name="table_update"),
    path("area-riservata/tavoli/<int:table>/sedute/nuova/", reserved.session_edit, name="session_create"),
    path("area-riservata/tavoli/<int:table>/sedute/<int:pk>/modifica/", reserved.session_edit, name="session_update"),
    path("area-riservata/tavoli/sedute/<int:pk>/annulla/", reserved.session_cancel_view, name="session_cancel"),
    path("area-riservata/tavoli/sedute/<int:pk>/risposta/", reserved.answer_view, name="answer"),
    path("area-riservata/tavoli/sedute/<int:pk>/presenze/", reserved.attendance_view, name="attendance"),
    path("area-riservata/tavoli/sedute/<int:pk>/verbale/", reserved.minutes_view, name="minutes"),
    path("area-riservata/tavoli/sedute/<int:pk>/verbale/pubblica/", reserved.minutes_publish_view, name="publish"),
    path("area-riservata/tavoli/<int:pk>/contributi/", reserved.contribution_view, name="contribute"),
    path("area-riservata/tavoli/contributi/<int:pk>/risposta/", reserved.reply_view, name="reply"),
    path(
        "area-riservata/tavoli/contributi/<int:pk>/documento/",
        reserved.contribution_document,
        name="contribution_document",
    ),
    path("area-riservata/tavoli/<int:pk>/esiti/", reserved.outcome_view, name="outcome"),
]
