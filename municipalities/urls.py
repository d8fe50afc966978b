from django.urls import path

from municipalities import views

app_name = "municipalities"

urlpatterns = [
    path("comuni/", views.municipality_list, name="list"),
    path("comuni/<str:istat_code>/", views.municipality_detail, name="detail"),
    path("opendata/comuni.csv", views.opendata_csv, name="opendata_csv"),
]
