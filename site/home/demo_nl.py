"""Dutch demo content beside the English: questions, answers, a knowledge page
and journal entries in the general community ("Algemeen / HR & facilities"), so
a newcomer sees a bilingual organisation. Idempotent (keyed on titles)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from hallway.languages import detect_language
from hallway.markdown import render_markdown
from journals.models import Entry
from journals.services import entry_announce
from kb.communities.models import CommunityPage, KnowledgePage
from kb.communities.services import knowledge_page_create
from kb.qa import services as qa
from kb.qa.models import Answer, Question
from people.models import User

# title, body, tags, author, answers (author, body), accepted answer index or None
QUESTIONS = [
    (
        "Hoe vraag ik verlof aan voor de kerstvakantie?",
        "Ik wil tussen kerst en oud en nieuw vrij nemen. Moet dat via mijn "
        "leidinggevende of kan ik het zelf in het HR-portaal zetten? En hoe ver van "
        "tevoren moet dat?",
        ["verlof", "hr"],
        "bram",
        [
            (
                "lead",
                "Zet het zelf in het HR-portaal onder **Verlof → Nieuwe aanvraag**; je "
                "leidinggevende krijgt dan automatisch een melding. Voor de "
                "kerstperiode graag vóór 1 december, dan kan het team de bezetting "
                "nog plannen.",
            ),
            (
                "chen",
                "Tip: check eerst de teamkalender, dan zie je wie er al weg is.",
            ),
        ],
        0,
    ),
    (
        "Waar haal ik een parkeerpas voor de garage in Utrecht?",
        "Ik werk sinds kort op kantoor Utrecht en kom met de auto. Bij wie kan ik "
        "een parkeerpas voor de garage aanvragen?",
        ["facilities", "parkeren", "utrecht"],
        "chen",
        [
            (
                "alice",
                "Facilities hands them out at the front desk on the ground floor. "
                "Bring your staff badge; the pass is linked to it, so it takes five "
                "minutes. There are only 40 spots, so book a spot in the app first.",
            ),
        ],
        0,
    ),
    (
        "Mijn laptop is kapot: hoe vraag ik een vervangende aan?",
        "Het scherm van mijn laptop is gebarsten. Hoe kom ik snel aan een "
        "leenlaptop, en wie betaalt de reparatie?",
        ["laptop", "it"],
        "alice",
        [
            (
                "bram",
                "Meld het bij de IT-servicedesk met een laptopaanvraag. Je krijgt "
                "dezelfde dag een leenlaptop mee; de reparatie valt onder de "
                "verzekering, dat kost jou niets.",
            ),
        ],
        None,
    ),
    (
        "Wat vergoedt de thuiswerkregeling precies?",
        "Ik werk drie dagen per week thuis. Krijg ik dan een vergoeding voor "
        "internet en stroom, en kan ik ook een bureaustoel declareren?",
        ["thuiswerken", "hr", "vergoeding"],
        "bram",
        [],
        None,
    ),
]

PAGE = {
    "title": "Verlof aanvragen en registreren",
    "summary": "Hoe je verlof aanvraagt, wie het goedkeurt en wat je doet bij "
    "ziekte tijdens je vakantie.",
    "tags": ["verlof", "hr"],
    "body": [
        (
            "markdown",
            "## Verlof aanvragen\n\n"
            "1. Open het HR-portaal en kies **Verlof → Nieuwe aanvraag**.\n"
            "2. Kies het soort verlof (vakantie, bijzonder verlof of "
            "ouderschapsverlof).\n"
            "3. Je leidinggevende keurt het binnen drie werkdagen goed.\n\n"
            "## Hoe ver van tevoren?\n\n"
            "| Verlof | Aanvragen |\n|---|---|\n"
            "| Tot drie dagen | een week van tevoren |\n"
            "| Langer dan een week | een maand van tevoren |\n"
            "| Kerst en zomer | vóór 1 december of 1 april |\n",
        ),
        (
            "callout",
            {
                "kind": "tip",
                "text": "Ziek tijdens je vakantie? Meld je ziek bij je leidinggevende "
                "en HR: die dagen tellen dan niet als verlof.",
            },
        ),
    ],
}

# author, days ago, title, body, tags
ENTRIES = [
    (
        "bram",
        1,
        "Nieuwe vergaderruimtes op de derde verdieping",
        "Vandaag de nieuwe vergaderruimtes getest. De schermen werken met USB-C, "
        "maar neem je eigen adapter mee voor HDMI. Reserveren gaat via de agenda.",
        ["facilities", "kantoor"],
    ),
    (
        "chen",
        3,
        "Geleerd: declaraties gaan sneller met een foto van de bon",
        "Mijn declaratie was binnen twee dagen uitbetaald omdat ik meteen een foto "
        "van de bon in de app had gezet. Scheelt een hoop heen-en-weer met finance.",
        ["declaraties", "finance"],
    ),
    (
        "alice",
        2,
        "Vast op: inwerken van nieuwe collega's in Gent",
        "We krijgen volgende maand drie nieuwe collega's in Gent. Wie heeft een "
        "goede checklist voor de eerste week? Ik zoek vooral iets voor toegang tot "
        "systemen en een buddy.",
        ["onboarding", "gent"],
    ),
]


def load() -> list[object]:
    """Create the Dutch demo content once; then record the language of demo
    content that was written without one (loaders that bypass the services)."""
    community = CommunityPage.objects.filter(
        slug=settings.HALLWAY_GENERAL_COMMUNITY_SLUG
    ).first()
    users = {u.username: u for u in User.objects.all()}
    made: list[object] = []
    if community is None or not {"alice", "bram", "chen", "lead"} <= set(users):
        return made
    now = timezone.now()
    for n, (title, body, tags, author, answers, accepted) in enumerate(QUESTIONS):
        if Question.objects.filter(title=title).exists():
            continue
        question = qa.question_create(
            author=users[author], title=title, body=body, tags=tags, community=community
        )
        asked = now - timedelta(days=n + 1, hours=3)
        Question.objects.filter(pk=question.pk).update(
            created_at=asked, last_activity_at=asked
        )
        rows = [
            qa.answer_create(question=question, author=users[who], body=text)
            for who, text in answers
        ]
        if rows:
            Question.objects.filter(pk=question.pk).update(
                first_answer_at=asked + timedelta(hours=2)
            )
            Answer.objects.filter(question=question).update(
                created_at=asked + timedelta(hours=2)
            )
        if accepted is not None:
            qa.answer_accept(answer=rows[accepted], by=users[author])
        made.append(question)
    if not KnowledgePage.objects.filter(title=PAGE["title"]).exists():
        made.append(
            knowledge_page_create(
                community=community,
                author=users["lead"],
                title=PAGE["title"],
                summary=PAGE["summary"],
                body=PAGE["body"],
                tags=PAGE["tags"],
                publish=True,
                language="nl",
            )
        )
    for author, days_ago, title, body, tags in ENTRIES:
        if Entry.objects.filter(author=users[author], title=title).exists():
            continue
        entry = Entry.objects.create(
            author=users[author],
            title=title,
            body=body,
            body_html=render_markdown(body),
            visibility=Entry.Visibility.ORGANISATION,
            language="nl",
            created_at=now - timedelta(days=days_ago, hours=2),
        )
        entry.tags.set(tags)
        entry_announce(entry.pk, "created", visibility=entry.visibility)
        made.append(entry)
    _record_languages()
    return made


def _record_languages() -> None:
    for model, fields in [
        (Question, ("title", "body")),
        (Answer, ("body",)),
        (Entry, ("title", "body")),
        (KnowledgePage, ("title", "summary")),
    ]:
        for row in model.objects.filter(language="").only("pk", *fields):
            text = "\n".join(getattr(row, f) or "" for f in fields)
            model.objects.filter(pk=row.pk).update(language=detect_language(text))
