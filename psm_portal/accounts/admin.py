"""The Django admin of users and offices."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from psm_portal.accounts.models import Office, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "head", "email"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "role", "office", "municipality", "is_active", "last_login"]
    list_filter = ["role", "is_active", "office"]
    search_fields = ["email", "full_name", "organisation"]
    autocomplete_fields = ["municipality"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profilo", {"fields": ["full_name", "role", "office", "municipality", "organisation"]}),
        ("Stato", {"fields": ["is_active", "is_superuser", "last_login", "date_joined", "invited_at", "invited_by"]}),
    ]
    # The role's own field (office, municipality, organisation) must be on the add form too: the model's
    # clean() reports a missing one against that field, and a form without it cannot show the error.
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
        ("Profilo", {"fields": ["full_name", "role", "office", "municipality", "organisation"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "invited_at", "invited_by"]
    filter_horizontal = []
