"""Password login that an organisation requiring single sign-on can switch off."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import LoginView
from django.http import HttpResponseForbidden

from .oidc import password_login_enabled, sso_enabled


class PasswordBackend(ModelBackend):
    """Django's username/password backend, refusing while password login is off.

    It stays installed either way: it is also what answers permission checks.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not password_login_enabled():
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )


class HallwayLoginView(LoginView):
    """The login page: the single sign-on button and/or the password form."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_enabled()
        context["password_login"] = password_login_enabled()
        context["sso_failed"] = "sso" in self.request.GET
        context["settings_oidc_name"] = settings.OIDC_PROVIDER_NAME
        return context

    def post(self, request, *args, **kwargs):
        if not password_login_enabled():
            return HttpResponseForbidden(
                "Password login is switched off: sign in with single sign-on."
            )
        return super().post(request, *args, **kwargs)
