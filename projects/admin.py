"""The Django admin of projects, their history, imports and proposals."""

from django.contrib import admin

from projects.models import Agenda, AgendaAction, FundingLine, Project, ProjectChange, ProjectImport, Proposal


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "cup", "office", "status", "publication", "total_cost"]
    list_filter = ["publication", "status", "office"]
    search_fields = ["title", "cup", "local_code"]
    autocomplete_fields = ["municipalities"]
    filter_horizontal = ["objectives"]
    inlines = [FundingLineInline]


@admin.register(ProjectChange)
class ProjectChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "actor", "at"]
    list_select_related = ["project", "actor"]
    readonly_fields = ["project", "actor", "at", "kind", "changes", "note"]


@admin.register(ProjectImport)
class ProjectImportAdmin(admin.ModelAdmin):
    """Read only: an import's file is uploaded and checked, and its state moved, only through the portal's pages
    (a file uploaded here would skip the checks of ``ImportForm``)."""

    list_display = ["original_name", "office", "state", "total_rows", "created_at"]
    list_filter = ["state", "office"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in ProjectImport._meta.fields]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "proposer", "municipality", "state", "created_at"]
    list_filter = ["state"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only: the agendas are written by the portal's services, which audit every change and refuse to touch
    an approved version (as does the database, on PostgreSQL)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AgendaActionInline(admin.TabularInline):
    model = AgendaAction
    fields = [
        "position",
        "title",
        "responsible_office",
        "objective",
        "start_quarter",
        "due_quarter",
        "budget",
        "status",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agenda)
class AgendaAdmin(ReadOnlyAdmin):
    list_display = ["year", "version", "status", "submitted_at", "approved_at", "approved_by_act"]
    list_filter = ["status", "year"]
    inlines = [AgendaActionInline]


@admin.register(AgendaAction)
class AgendaActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "agenda", "position", "responsible_office", "budget", "status"]
    list_select_related = ["agenda", "responsible_office"]
    list_filter = ["agenda__year", "status"]
