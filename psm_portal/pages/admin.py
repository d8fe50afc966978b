"""The Django admin of the informative pages."""

from django.contrib import admin

from psm_portal.pages.models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
