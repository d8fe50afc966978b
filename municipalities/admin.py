"""The Django admin of the comuni (the shapes of their boundaries read only) and of their territorial areas,
which the PSM team edits."""

from django.contrib import admin

from municipalities.models import Area, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """The team moves a comune to another area; the ISTAT data (name, population, boundary) stay as loaded."""

    list_display = ["istat_code", "name", "area", "population", "area_km2"]
    list_editable = ["area"]
    list_filter = ["area"]
    search_fields = ["name", "istat_code", "name_folded"]
    readonly_fields = ["boundary"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return [field.name for field in self.model._meta.fields if field.name not in ("id", "area")]

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "colour"]
    list_editable = ["order"]
