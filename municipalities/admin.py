"""The Django admin of the comuni (the shapes of their boundaries read only) and of their territorial areas,
which the PSM team edits."""

from django.contrib import admin

from municipalities.models import Area, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["istat_code", "name", "area", "population", "area_km2"]
    list_editable = ["area"]
    list_filter = ["area"]
    search_fields = ["name", "istat_code", "name_folded"]
    readonly_fields = ["boundary"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "colour"]
    list_editable = ["order"]
