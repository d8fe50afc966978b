"""The addresses of vocations."""

app_name = "vocations"

urlpatterns: list = []
