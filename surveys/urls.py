"""The questionnaire's addresses: the public pages, the open data, the reserved area."""

from __future__ import annotations

from django.urls import path

from surveys.views import manage, public

app_name = "surveys"

urlpatterns = [
    path("questionario/", public.questionnaire_list, name="list"),
    path("questionario/<slug:slug>/", public.start, name="start"),
    path("questionario/<slug:slug>/sezione/<int:number>/", public.section, name="section"),
    path("questionario/<slug:slug>/grazie/", public.thanks, name="thanks"),
    path("questionario/<slug:slug>/risultati/", public.results, name="results"),
    path("opendata/questionario/<slug:slug>.csv", public.opendata_csv, name="opendata_csv"),
    path("opendata/questionario/<slug:slug>.json", public.results_json, name="opendata_json"),
    path("area-riservata/questionari/", manage.manage, name="manage"),
    path("area-riservata/questionari/nuovo/", manage.create, name="create"),
    path("area-riservata/questionari/<int:pk>/", manage.edit, name="edit"),
    path("area-riservata/questionari/<int:pk>/anteprima/", manage.preview, name="preview"),
    path("area-riservata/questionari/<int:pk>/pubblica/", manage.publish, name="publish"),
    path("area-riservata/questionari/<int:pk>/sezioni/nuova/", manage.section_edit, name="section_add"),
    path("area-riservata/questionari/<int:pk>/sezioni/<int:section_pk>/", manage.section_edit, name="section_edit"),
    path("area-riservata/questionari/<int:pk>/domande/nuova/", manage.question_edit, name="question_add"),
    path(
        "area-riservata/questionari/<int:pk>/domande/<int:question_pk>/",
        manage.question_edit,
        name="question_edit",
    ),
    path(
        "area-riservata/questionari/<int:pk>/<str:what>/<int:item_pk>/<str:action>/",
        manage.item_action,
        name="item_action",
    ),
    path("area-riservata/questionari/<int:pk>/risposte.xlsx", manage.export_xlsx, name="export_xlsx"),
    path("area-riservata/questionari/<int:pk>/promozione/", manage.promote, name="promote"),
    path("area-riservata/questionari/<int:pk>/qr.<str:fmt>", manage.qr_code, name="qr"),
    path("area-riservata/questionari/<int:pk>/locandina.pdf", manage.poster, name="poster"),
]
