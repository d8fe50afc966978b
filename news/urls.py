"""The addresses of news."""

from django.urls import path

from news.feeds import NewsFeed
from news.views import public, reserved

app_name = "news"

urlpatterns = [
    path("notizie/", public.news_list, name="list"),
    path("notizie/feed/", NewsFeed(), name="feed"),
    path("notizie/<slug:slug>/", public.news_detail, name="detail"),
    path("notizie/<slug:slug>/immagine/", public.news_image, name="image"),
    path("area-riservata/notizie/", reserved.news_manage, name="manage"),
    path("area-riservata/notizie/nuova/", reserved.news_edit, name="create"),
    path("area-riservata/notizie/<int:pk>/", reserved.news_edit, name="edit"),
    path("area-riservata/notizie/<int:pk>/pubblica/", reserved.news_publish_view, name="publish"),
    path("area-riservata/notizie/<int:pk>/ritira/", reserved.news_unpublish_view, name="unpublish"),
]
