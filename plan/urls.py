"""The addresses of the plan documents: the public list and downloads, then the reserved area."""

from django.urls import path

from plan.views import council, discussion, public, reserved

app_name = "plan"

urlpatterns = [
    path("piano/", public.plan_list, name="list"),
    path("piano/<int:pk>/scarica/", public.plan_download, name="download"),
    path("piano/verifica/", public.plan_verify, name="verify"),
    path("area-riservata/piano/", reserved.plan_manage, name="manage"),
    path("area-riservata/piano/prepara/", reserved.plan_render_view, name="render"),
    path("area-riservata/piano/<int:pk>/", reserved.plan_progress, name="progress"),
    path("area-riservata/piano/<int:pk>/stato.json", reserved.plan_status, name="status"),
    path("area-riservata/piano/<int:pk>/pubblica/", reserved.plan_publish_view, name="publish"),
    path("area-riservata/piano/<int:pk>/ritira/", reserved.plan_unpublish_view, name="unpublish"),
    path("area-riservata/piano/discussione/", discussion.plan_discussion, name="discussion"),
    path(
        "area-riservata/piano/discussione/copertura/", discussion.plan_discussion_coverage, name="discussion_coverage"
    ),
    path(
        "area-riservata/piano/discussione/<slug:section>/",
        discussion.plan_discussion_section,
        name="discussion_section",
    ),
    path(
        "area-riservata/piano/discussione/<slug:section>/rispondi/",
        discussion.plan_discussion_reply,
        name="discussion_reply",
    ),
    path("area-riservata/consiglio/", council.council_dossier, name="council"),
    path("area-riservata/consiglio/trasmetti/", council.examination_open_view, name="examination_open"),
    path("area-riservata/consiglio/emendamenti/", council.amendment_list, name="amendments"),
    path("area-riservata/consiglio/emendamenti/nuovo/", council.amendment_file, name="amendment_file"),
    path("area-riservata/consiglio/emendamenti/<int:pk>/", council.amendment_detail, name="amendment"),
    path(
        "area-riservata/consiglio/emendamenti/<int:pk>/ritira/", council.amendment_withdraw, name="amendment_withdraw"
    ),
    path(
        "area-riservata/consiglio/emendamenti/<int:pk>/ammissibilita/",
        council.amendment_admissibility,
        name="amendment_admissibility",
    ),
    path("area-riservata/consiglio/emendamenti/<int:pk>/voto/", council.amendment_vote, name="amendment_vote"),
    path("area-riservata/consiglio/delibera/", council.deliberation_record, name="deliberation"),
    path("area-riservata/consiglio/delibere/<int:pk>/pdf/", council.deliberation_pdf, name="deliberation_pdf"),
]
