from django.contrib import admin

from projects.models import Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "head", "email"]
    search_fields = ["code", "name"]
