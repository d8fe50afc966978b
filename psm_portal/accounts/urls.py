"""The addresses of the accounts: signing in and out, passwords and invitations, then the reserved area."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from psm_portal.accounts.views import public, reserved

app_name = "accounts"

urlpatterns = [
    path("accedi/", public.LoginView.as_view(), name="login"),
    path("esci/", LogoutView.as_view(), name="logout"),
    path("accedi/password-dimenticata/", public.PasswordResetView.as_view(), name="password_reset"),
    path("accedi/password-dimenticata/inviata/", public.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accedi/nuova-password/<uidb64>/<token>/",
        public.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accedi/nuova-password/fatto/", public.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accedi/invito/<uidb64>/<token>/", public.InvitationAcceptView.as_view(), name="invitation"),
    path("area-riservata/", reserved.dashboard, name="dashboard"),
    path("area-riservata/utenti/", reserved.user_list, name="users"),
    path("area-riservata/utenti/invita/", reserved.user_invite_view, name="invite"),
    path("area-riservata/utenti/<int:pk>/reinvita/", reserved.user_reinvite, name="reinvite"),
]
