from django.contrib import admin

from tables.models import Member, Outcome, Session, WorkingTable


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    raw_id_fields = ["municipality", "office"]


@admin.register(WorkingTable)
class WorkingTableAdmin(admin.ModelAdmin):
    list_display = ["title", "phase", "coordinator_user", "coordinator_office"]
    inlines = [MemberInline]
    raw_id_fields = ["coordinator_user", "coordinator_office"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "table", "starts_at", "cancelled", "minutes_state"]
    list_filter = ["cancelled", "minutes_state"]
    readonly_fields = ["uid", "sequence", "reminder_sent_at"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["title", "table", "objective", "proposal", "project"]
    raw_id_fields = ["objective", "proposal", "project", "session"]
