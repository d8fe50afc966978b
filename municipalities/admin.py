"""The Django admin of the comuni (the shapes of their boundaries read only)."""

from django.contrib import admin

from municipalities.models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["istat_code", "name", "population", "area_km2"]
    search_fields = ["name", "istat_code", "name_folded"]
    readonly_fields = ["boundary"]
