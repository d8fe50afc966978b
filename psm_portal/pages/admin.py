"""The Django admin of the informative pages."""

from django.contrib import admin

from psm_portal.pages.forms import SitePageForm
from psm_portal.pages.models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    # The portal's own form: the text is sanitised by its clean_body wherever it is edited.
    form = SitePageForm
    list_display = ["title", "slug", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
