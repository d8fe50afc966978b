"""The addresses of the informative pages (each page, and its editor in the reserved area) and of the search."""

from django.urls import path, re_path

from psm_portal.pages.views import public, reserved, search

app_name = "pages"

urlpatterns = [
    path("cerca/", search.search, name="search"),
    path("area-riservata/pagine/<slug:slug>/modifica/", reserved.page_edit, name="edit"),
    re_path(r"^(?P<slug>accessibilita|privacy|note-legali)/$", public.page, name="page"),
]
