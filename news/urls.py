"""The addresses of news."""

app_name = "news"

urlpatterns: list = []
