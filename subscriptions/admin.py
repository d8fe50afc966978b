from django.contrib import admin

from subscriptions.models import Digest, Subscriber, Update


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at", "confirmed_at")
    search_fields = ("email",)
    exclude = ("confirm_token", "unsubscribe_token")


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "created_at")


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("period", "since", "until")
