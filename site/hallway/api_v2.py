"""Wagtail's read-only page API at /api/v2/: published, public pages only."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page

from kb.communities.selectors import pages_readable_by_anyone


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's page endpoint under the site's one rule for pages outside the
    page itself: nothing below an unpublished page (a closed community), and
    nothing under a view restriction even for a viewer who passes it (those are
    read on the page, where Wagtail checks login, group or password)."""

    def get_base_queryset(self):
        # As an id list filter: ``?search=`` hands the queryset to Wagtail's
        # search backend, which can filter on ``pk__in`` but not on subqueries.
        readable = pages_readable_by_anyone(Page.objects.all()).values("pk")
        return super().get_base_queryset().filter(pk__in=readable)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
