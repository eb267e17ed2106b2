"""Chinese first: the interface language is the one the user picked, else LANGUAGE_CODE.

Django's LocaleMiddleware would follow the browser's Accept-Language, which turns the UI English
on most office PCs with an English system; the office wants Chinese unless someone chooses otherwise.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
