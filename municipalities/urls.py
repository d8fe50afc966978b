from django.urls import path

from municipalities import views

app_name = "municipalities"

urlpatterns = [
    path("comuni/", views.municipality_list, name="list"),
    path("comuni/<str:istat_code>/", views.municipality_detail, name="detail"),
    path("opendata/comuni.csv", views.opendata_csv, name="opendata_csv"),
    path("area-riservata/istanze/", views.needs, name="needs"),
    path("area-riservata/istanze/nuova/", views.need_create, name="need_create"),
    path("area-riservata/istanze/ricevute/", views.needs_review, name="needs_review"),
    path("area-riservata/istanze/<int:pk>/", views.need_detail, name="need_detail"),
    path("area-riservata/istanze/allegati/<int:pk>/", views.need_attachment, name="need_attachment"),
]
