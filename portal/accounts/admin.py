from django.contrib import admin

from portal.accounts.models import Account, Follow


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    """Coordinators see who has an account and how often they hear from Delarum; the person changes the rest."""

    list_display = ["user", "language", "frequency", "digest_sent_at", "created_at"]
    list_filter = ["language", "frequency"]
    search_fields = ["user__email", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "digest_sent_at", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "target_id", "query", "created_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "user__username", "query"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "target_id", "query", "created_at"]

    def has_add_permission(self, request):
        return False
