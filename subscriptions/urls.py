"""The addresses of subscriptions."""

app_name = "subscriptions"

urlpatterns: list = []
