from django.contrib import admin

from municipalities.models import Municipality, Need, NeedAttachment


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["istat_code", "name", "population", "area_km2"]
    search_fields = ["name", "istat_code", "name_folded"]
    readonly_fields = ["boundary"]


class NeedAttachmentInline(admin.TabularInline):
    model = NeedAttachment
    extra = 0
    readonly_fields = ["name", "size", "uploaded_at"]
    exclude = ["file"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "theme", "status", "created_at"]
    list_filter = ["status", "theme"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]
    raw_id_fields = ["municipality", "author", "replied_by"]
    inlines = [NeedAttachmentInline]
