"""URL map: accounts, apps, APIs, admin, then Wagtail's page tree."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from integrations.auth import HallwayLoginView
from integrations.oidc import SsoCallbackView, SsoLoginView
from people.views import language_choose

from .api import api
from .api_v2 import api_router
from .views import healthz, styleguide

accounts = [
    path("login/", HallwayLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("styleguide/", styleguide, name="styleguide"),
    path("accounts/", include(accounts)),
    path("i18n/setlang/", language_choose, name="set_language"),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("oidc/authenticate/", SsoLoginView.as_view(), name="oidc_authentication_init"),
    path(
        "oidc/callback/", SsoCallbackView.as_view(), name="oidc_authentication_callback"
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    path("api/v2/", api_router.urls),
    path("tags/", include("kb.qa.tag_urls")),
    path("questions/", include("kb.qa.urls")),
    path("journals/", include("journals.urls")),
    path("ideas/", include("kb.ideas.urls")),
    path("search/", include("search.urls")),
    path("people/", include("reputation.urls")),
    path("communities/", include("kb.curation.urls")),
    path("communities/", include("kb.communities.urls")),
    path("notifications/", include("notifications.urls")),
    path("integrations/", include("integrations.urls")),
    path("uploads/", include("uploads.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
