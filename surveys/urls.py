from django.urls import path

from surveys import manage_views, views

app_name = "surveys"

urlpatterns = [
    path("questionario/", views.questionnaire_list, name="list"),
    path("questionario/<slug:slug>/", views.start, name="start"),
    path("questionario/<slug:slug>/sezione/<int:number>/", views.section, name="section"),
    path("questionario/<slug:slug>/grazie/", views.thanks, name="thanks"),
    path("questionario/<slug:slug>/risultati/", views.results, name="results"),
    path("opendata/questionario/<slug:slug>.csv", views.opendata_csv, name="opendata_csv"),
    path("opendata/questionario/<slug:slug>.json", views.results_json, name="opendata_json"),
    path("area-riservata/questionari/", manage_views.manage, name="manage"),
    path("area-riservata/questionari/nuovo/", manage_views.create, name="create"),
    path("area-riservata/questionari/<int:pk>/", manage_views.edit, name="edit"),
    path("area-riservata/questionari/<int:pk>/anteprima/", manage_views.preview, name="preview"),
    path("area-riservata/questionari/<int:pk>/pubblica/", manage_views.publish, name="publish"),
    path("area-riservata/questionari/<int:pk>/sezioni/nuova/", manage_views.section_edit, name="section_add"),
    path(
        "area-riservata/questionari/<int:pk>/sezioni/<int:section_pk>/", manage_views.section_edit, name="section_edit"
    ),
    path("area-riservata/questionari/<int:pk>/domande/nuova/", manage_views.question_edit, name="question_add"),
    path(
        "area-riservata/questionari/<int:pk>/domande/<int:question_pk>/",
        manage_views.question_edit,
        name="question_edit",
    ),
    path(
        "area-riservata/questionari/<int:pk>/<str:what>/<int:item_pk>/<str:action>/",
        manage_views.item_action,
        name="item_action",
    ),
    path("area-riservata/questionari/<int:pk>/risposte.xlsx", manage_views.export_xlsx, name="export_xlsx"),
    path("area-riservata/questionari/<int:pk>/promozione/", manage_views.promote, name="promote"),
    path("area-riservata/questionari/<int:pk>/qr.<str:fmt>", manage_views.qr_code, name="qr"),
    path("area-riservata/questionari/<int:pk>/locandina.pdf", manage_views.poster, name="poster"),
]
