"""Template tags other apps use to show where their content was curated into."""

from django import template

from ..selectors import curations_for

register = template.Library()


@register.inclusion_tag("communities/_curated_into.html")
def curated_into(kind: str, object_id: int) -> dict:
    """``{% curated_into "answer" answer.pk %}``: "Curated into: <page>" links."""
    return {"curated_pages": curations_for(kind, object_id)}
