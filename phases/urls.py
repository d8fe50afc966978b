from django.urls import path

from phases import views_plan

app_name = "phases"

urlpatterns: list = [
    path("piano/", views_plan.plan_list, name="plan"),
    path("piano/<int:pk>/scarica/", views_plan.plan_download, name="plan_download"),
    path("area-riservata/piano/", views_plan.plan_manage, name="plan_manage"),
    path("area-riservata/piano/prepara/", views_plan.plan_render_view, name="plan_render"),
    path("area-riservata/piano/<int:pk>/", views_plan.plan_progress, name="plan_progress"),
    path("area-riservata/piano/<int:pk>/stato.json", views_plan.plan_status, name="plan_status"),
    path("area-riservata/piano/<int:pk>/pubblica/", views_plan.plan_publish_view, name="plan_publish"),
    path("area-riservata/piano/<int:pk>/ritira/", views_plan.plan_unpublish_view, name="plan_unpublish"),
    path("area-riservata/piano/discussione/", views_plan.plan_discussion, name="plan_discussion"),
    path(
        "area-riservata/piano/discussione/copertura/",
        views_plan.plan_discussion_coverage,
        name="plan_discussion_coverage",
    ),
    path(
        "area-riservata/piano/discussione/<slug:section>/",
        views_plan.plan_discussion_section,
        name="plan_discussion_section",
    ),
]
