from django.urls import path

from psm_portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accedi/", views.LoginView.as_view(), name="login"),
    path("esci/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("accedi/password-dimenticata/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accedi/password-dimenticata/inviata/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accedi/nuova-password/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accedi/nuova-password/fatto/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accedi/invito/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation"),
    path("area-riservata/", views.dashboard, name="dashboard"),
    path("area-riservata/utenti/", views.user_list, name="users"),
    path("area-riservata/utenti/invita/", views.user_invite_view, name="invite"),
    path("area-riservata/utenti/<int:pk>/reinvita/", views.user_reinvite, name="reinvite"),
]
