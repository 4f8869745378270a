"""``{% attribution obj %}``: where an imported question or answer came from."""

from django import template

from kb.qa.models import Answer, Question

from ..selectors import attribution_for

register = template.Library()


@register.inclusion_tag("imports/attribution.html")
def attribution(obj, attributions=None):
    """Render the attribution of ``obj``; pass ``attributions_for(...)`` on lists."""
    found = None
    if attributions is not None:
        kind = "question" if isinstance(obj, Question) else "answer"
        found = attributions.get((kind, getattr(obj, "pk", None)))
    elif isinstance(obj, Question | Answer):
        found = attribution_for(obj)
    kind = "question" if isinstance(obj, Question) else "answer"
    return {"attribution": found, kind: obj, "kind": kind, "checked": True}
