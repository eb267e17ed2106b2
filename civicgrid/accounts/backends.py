from django.contrib.auth.backends import ModelBackend

from civicgrid.accounts import services


class LockoutAwareBackend(ModelBackend):
    """Django's backend with two changes that hold for every login path (page, admin, token):
    the username is stripped, so ' admin ' is 'admin'; a locked account never authenticates, even with
    the right password, and its open sessions end (Django re-checks this when it loads the session's user).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = services.normalize_username(username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not services.is_user_locked(user)
