"""The addresses of outcomes."""

from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns: list = [
    path("area-riservata/esiti/", views.mine, name="mine"),
    path("area-riservata/esiti/registra/<str:kind>/<int:pk>/", views.record, name="record"),
]
