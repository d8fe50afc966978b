"""The addresses of implementation: the public /attuazione/ page and its open data, the reserved area's reports."""

from django.urls import path

from implementation.views import governance, indicators, monitoring, public, reserved

app_name = "implementation"

urlpatterns = [
    path("attuazione/", public.progress_page, name="progress"),
    path("opendata/attuazione.csv", public.opendata_csv, name="opendata_csv"),
    path("opendata/indicatori.csv", public.opendata_indicators_csv, name="opendata_indicators"),
    path("area-riservata/attuazione/", reserved.office_home, name="office"),
    path("area-riservata/attuazione/indicatori/", indicators.indicator_list, name="indicators"),
    path("area-riservata/attuazione/indicatori/<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("area-riservata/attuazione/cicli/nuovo/", reserved.cycle_new, name="cycle_create"),
    path("area-riservata/attuazione/da-verificare/", reserved.review_queue, name="review_queue"),
    path("area-riservata/attuazione/importa/", monitoring.report_import, name="report_import"),
    path("area-riservata/attuazione/cicli/<int:cycle>/<str:kind>/<int:pk>/", reserved.report_new, name="report_create"),
    path("area-riservata/attuazione/rilevazioni/<int:pk>/", reserved.report_detail, name="report"),
    path("area-riservata/attuazione/rilevazioni/<int:pk>/documento/", reserved.report_document, name="report_document"),
    path(
        "area-riservata/attuazione/rilevazioni/<int:pk>/valida/", reserved.report_validate_view, name="report_validate"
    ),
    path("area-riservata/attuazione/rilevazioni/<int:pk>/rinvia/", reserved.report_return_view, name="report_return"),
    path("attuazione/governance/", governance.governance_page, name="governance"),
    path("attuazione/governance/versioni/<int:number>/", governance.governance_version, name="governance_version"),
    path("area-riservata/governance/", governance.governance_manage, name="governance_manage"),
    path("area-riservata/governance/nuova/", governance.governance_create, name="governance_create"),
    path("area-riservata/governance/<int:pk>/modifica/", governance.governance_edit, name="governance_edit"),
    path("area-riservata/governance/<int:pk>/apri/", governance.governance_open, name="governance_open"),
    path("area-riservata/governance/<int:pk>/chiudi/", governance.governance_close, name="governance_close"),
    path("area-riservata/governance/<int:pk>/adotta/", governance.governance_adopt, name="governance_adopt"),
    path("area-riservata/governance/<int:pk>/posizioni/", governance.governance_positions, name="governance_positions"),
    path("area-riservata/governance/promemoria/", governance.governance_remind, name="governance_remind"),
    path("area-riservata/governance/posizione/", governance.governance_position, name="governance_position"),
]
