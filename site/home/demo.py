"""Make the Wagtail site root a HomePage (replacing Wagtail's placeholder page)."""

from wagtail.models import Page, Site

from hallway.pages import tree_root

from .models import HomePage


def load() -> HomePage:
    """Ensure exactly one HomePage serves as the default site's root."""
    home = HomePage.objects.first()
    if home is None:
        root = tree_root()
        # Wagtail's initial "Welcome" page holds the slug "home"; its Site row
        # goes with it (cascade) and is recreated below.
        for placeholder in root.get_children().exact_type(Page):
            if not placeholder.get_children().exists():
                placeholder.delete()
        home = HomePage(
            title="Welcome to Hallway",
            slug="home",
            intro=(
                "Ask a question, find who knows, and write down what you learn "
                "so the next person finds it."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Hallway",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home
