"""The addresses of outcomes."""

app_name = "outcomes"

urlpatterns: list = []
