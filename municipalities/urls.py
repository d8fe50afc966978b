"""The addresses of the comuni: their list, their pages and their open data."""

from django.urls import path, re_path

from municipalities.views import public

app_name = "municipalities"

urlpatterns = [
    path("comuni/", public.municipality_list, name="list"),
    # Six digits only: anything else (a NUL byte too) is a 404 before it reaches the database.
    re_path(r"^comuni/(?P<istat_code>[0-9]{6})/$", public.municipality_detail, name="detail"),
    path("opendata/comuni.csv", public.opendata_csv, name="opendata_csv"),
]
