"""API tokens that stop working while their account is locked, as its web sessions do."""

from rest_framework import authentication, exceptions

from civicgrid.accounts import services


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`; a locked account's token is refused until the office unlocks it."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if services.is_user_locked(user):
            raise exceptions.AuthenticationFailed(services.LOCKED_MESSAGE)
        return user, token
