"""The site's addresses: health check and admin outside the language prefix, then every app's ``urls.py``."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from psm_portal import views

admin.site.site_header = "Portale PSM Messina — amministrazione"
admin.site.site_title = "Portale PSM"
admin.site.login = views.admin_login

# An unreachable database gives a 503 maintenance page with Retry-After, from any middleware or view.
handler500 = "psm_portal.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    # First: the questionnaire's pages are the busiest (every citizen who answers), and the resolver
    # tries the patterns in order.
    path("", include("surveys.urls")),
    path("opendata/", views.opendata_index, name="opendata"),
    path("", include("psm_portal.accounts.urls")),
    path("", include("municipalities.urls")),
    path("", include("phases.urls")),
    path("", include("projects.urls")),
    path("", include("implementation.urls")),
    path("", include("tables.urls")),
    path("", include("news.urls")),
    path("", include("vocations.urls")),
    path("", include("outcomes.urls")),
    path("", include("subscriptions.urls")),
    path("", include("plan.urls")),
    path("", include("psm_portal.pages.urls")),
    prefix_default_language=False,
)
