"""The Django admin of the vocations and scenarios, where the PSM team defines them (the reference scenario is
chosen on the reserved page, an audited act)."""

from django.contrib import admin

from vocations.models import Answer, Contribution, Priority, Rating, Round, Scenario, Target, Vocation


@admin.register(Vocation)
class VocationAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["objectives", "offices"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["title", "order", "is_reference"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["vocations"]
    inlines = [TargetInline]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["round", "municipality", "office", "updated_at"]
    list_filter = ["round"]
    inlines = [RatingInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    # Opening and closing are audited acts of the reserved page, never an edit here.
    list_display = ["title", "status", "deadline"]
    readonly_fields = ["status", "opened_at", "closed_at"]


admin.site.register(Contribution, admin.ModelAdmin)
admin.site.register(Priority, admin.ModelAdmin)
