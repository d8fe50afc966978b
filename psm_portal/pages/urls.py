from django.urls import path, re_path

from psm_portal.pages import views

app_name = "pages"

urlpatterns = [
    path("area-riservata/pagine/<slug:slug>/modifica/", views.page_edit, name="edit"),
    re_path(r"^(?P<slug>accessibilita|privacy|note-legali)/$", views.page, name="page"),
]
