"""The addresses of tables."""

app_name = "tables"

urlpatterns: list = []
