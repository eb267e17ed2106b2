from django.urls import path

from civicgrid.accounts import views

urlpatterns = [
    path("login/code/", views.login_code, name="login-code"),
    path("account/two-factor/", views.two_factor, name="account-two-factor"),
    path("account/two-factor/remove/", views.two_factor_remove, name="account-two-factor-remove"),
    path("account/password/", views.PasswordChangeView.as_view(), name="account-password"),
    path("accounts/locked/", views.locked_accounts, name="accounts-locked"),
    path("accounts/locked/<int:user_id>/unlock/", views.unlock_account, name="accounts-unlock"),
]
