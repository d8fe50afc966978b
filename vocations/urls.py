"""The addresses of vocations and scenarios: public pages, the reserved area and the open data."""

from django.urls import path

from vocations.views import answer, manage, opendata, public, review

app_name = "vocations"

urlpatterns = [
    path("vocazioni/", public.vocation_list, name="list"),
    path("vocazioni/<slug:slug>/", public.vocation_detail, name="detail"),
    path("scenari/", public.scenario_list, name="scenarios"),
    path("area-riservata/vocazioni/", manage.manage, name="manage"),
    path("area-riservata/vocazioni/rispondi/", answer.answer, name="answer"),
    path("area-riservata/vocazioni/consultazioni/nuova/", manage.round_create, name="round_create"),
    path("area-riservata/vocazioni/consultazioni/<int:pk>/apri/", manage.round_open, name="round_open"),
    path("area-riservata/vocazioni/consultazioni/<int:pk>/chiudi/", manage.round_close, name="round_close"),
    path("area-riservata/vocazioni/consultazioni/<int:pk>/promemoria/", manage.round_remind, name="round_remind"),
    path("area-riservata/vocazioni/consultazioni/<int:pk>/priorita/", manage.priorities_publish, name="priorities"),
    path("area-riservata/scenari/<int:pk>/riferimento/", manage.scenario_reference, name="scenario_reference"),
    path("scenari/versioni/<int:number>/", review.review_version, name="scenario_review_version"),
    path("area-riservata/scenari/consultazioni/", review.manage, name="scenario_review_manage"),
    path("area-riservata/scenari/consultazioni/nuova/", review.create, name="scenario_review_create"),
    path("area-riservata/scenari/consultazioni/<int:pk>/modifica/", review.edit, name="scenario_review_edit"),
    path("area-riservata/scenari/consultazioni/<int:pk>/apri/", review.open_review, name="scenario_review_open"),
    path("area-riservata/scenari/consultazioni/<int:pk>/chiudi/", review.close_review, name="scenario_review_close"),
    path(
        "area-riservata/scenari/consultazioni/<int:pk>/posizioni/", review.positions, name="scenario_review_positions"
    ),
    path("area-riservata/scenari/consultazioni/promemoria/", review.remind, name="scenario_review_remind"),
    path("area-riservata/scenari/posizione/", review.position, name="scenario_position"),
    path("opendata/vocazioni.csv", opendata.vocations_csv, name="opendata_vocations"),
    path("opendata/scenari.csv", opendata.scenarios_csv, name="opendata_scenarios"),
]
