"""A Dutch colleague uses Hallway entirely in Dutch: switches the language,
signs in, asks, gets an answer and its notification, writes a journal entry."""

import pytest

from journals.models import Entry
from kb.qa.models import Question
from tests.communities.factories import make_community
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENGLISH_WORDS = ["Log out", "Questions", "Journals", "Ask a question", " ago"]


def _run_worker() -> None:
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def _all_dutch(page) -> None:
    assert page.locator("html").get_attribute("lang") == "nl"
    text = page.locator("body").inner_text()
    for word in ENGLISH_WORDS:
        assert word not in text, f"English {word!r} on {page.url}"


def test_a_dutch_member_asks_answers_writes_and_is_notified_in_dutch(
    page, live_server, site_root, settings, tmp_path
):
    settings.HALLWAY_RATE_LIMITS = {}
    settings.ELASTICSEARCH_URL = ""
    UserFactory(username="bram", display_name="Bram de Vries", language="nl")
    UserFactory(username="chen", display_name="Chen Li", language="nl")
    make_community(slug="algemeen", title="Algemeen / HR & facilities")

    # Signed out: the header switcher turns the site Dutch (a cookie).
    page.goto(f"{live_server.url}/questions/")
    page.get_by_role("button", name="Nederlands").click()
    page.get_by_role("link", name="Inloggen").first.wait_for()
    _all_dutch(page)

    # From here on a Dutch browser: the sign-in page is Dutch even without the
    # cookie, and after sign-in the person's own choice (nl) applies.
    page.set_extra_http_headers({"Accept-Language": "nl-NL,nl;q=0.9"})

    def sign_in(username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.evaluate("localStorage.clear()")  # no draft of an earlier test
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill("pw")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()

    sign_in("bram")
    page.goto(f"{live_server.url}/questions/ask/")
    _all_dutch(page)
    page.get_by_label("Titel").fill("Hoe vraag ik verlof aan voor de kerstvakantie?")
    page.get_by_label("Tekst").fill(
        "Moet dat via mijn leidinggevende of kan ik het zelf in het HR-portaal zetten?"
    )
    page.get_by_label("Tags").fill("verlof")
    page.get_by_role("button", name="Vraag plaatsen").click()
    page.get_by_role("heading", level=1).filter(has_text="verlof").wait_for()
    _all_dutch(page)
    question = Question.objects.get(title__startswith="Hoe vraag ik verlof")
    assert question.language == "nl"
    assert page.locator("#question-title span").get_attribute("lang") == "nl"
    page.screenshot(path=str(tmp_path / "nl-question.png"))

    # Chen answers in Dutch.
    page.context.clear_cookies()
    sign_in("chen")
    page.goto(f"{live_server.url}{question.get_absolute_url()}")
    page.get_by_role("textbox", name="Jouw antwoord").fill(
        "Zet het zelf in het HR-portaal onder Verlof; je leidinggevende krijgt "
        "een melding."
    )
    page.get_by_role("button", name="Antwoord plaatsen").click()
    page.locator(".qa-answer", has_text="HR-portaal onder Verlof").wait_for()
    _all_dutch(page)
    _run_worker()

    # Bram gets the notification in Dutch and writes a journal entry.
    page.context.clear_cookies()
    sign_in("bram")
    page.goto(f"{live_server.url}/notifications/")
    bell = page.locator("#notification-bell")
    assert bell.get_attribute("aria-label") == "Meldingen: 1 ongelezen"
    page.get_by_role(
        "button", name="Chen Li heeft je vraag “Hoe vraag ik verlof aan"
    ).wait_for()
    _all_dutch(page)
    page.screenshot(path=str(tmp_path / "nl-notifications.png"))

    page.goto(f"{live_server.url}/journals/write/")
    _all_dutch(page)
    page.get_by_label("Bericht", exact=True).fill(
        "Vandaag geleerd dat je verlof zelf in het HR-portaal zet."
    )
    page.get_by_role("button", name="Bericht opslaan").click()
    page.get_by_text("Bericht opgeslagen.").wait_for()
    _all_dutch(page)
    assert Entry.objects.get(author__username="bram").language == "nl"


def test_api_errors_are_dutch_with_accept_language(client):
    response = client.get("/api/v1/search", {"page": "0"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code in (401, 422)
    assert response.json()["detail"] in {
        "Ongeldige invoer.",
        "Je moet inloggen of een Bearer-sleutel meesturen.",
    }
