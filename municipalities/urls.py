from django.urls import path, re_path

from municipalities import views

app_name = "municipalities"

urlpatterns = [
    path("comuni/", views.municipality_list, name="list"),
    # Six digits only: anything else (a NUL byte too) is a 404 before it reaches the database.
    re_path(r"^comuni/(?P<istat_code>[0-9]{6})/$", views.municipality_detail, name="detail"),
    path("opendata/comuni.csv", views.opendata_csv, name="opendata_csv"),
]
