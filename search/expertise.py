"""Expertise, computed in one place.

Two questions, one module; other apps reach it through the provider registry
(``hallway.providers``: ``experts`` and ``expertise_tags``), so search keeps
depending on the content apps and never the reverse:

- ``expert_list(q=..., viewer=...)``: who knows about X? The experts page, the
  API and notification routing ("can you help?", escalation) call it.
- ``expertise_tags(user=...)``: what does this person know? The tags they
  answered in, with answer and accepted counts (profile pages, "questions I
  could answer" on the hallway).

``expert_list`` reads two Elasticsearch requests and one database query,
whatever the data size:

1. the content the *reader* may see that matches ``q`` (the permission filter
   is inside the query), whose answerers and authors are the candidates and
   whose titles become the evidence shown next to each person;
2. the candidates' documents in the people index, read unscored: how much
   each person wrote overall (public and, for signed-in readers,
   organisation-wide content), their accepted-answer rate and their recent
   activity;
3. the candidates' accounts (display name, whether they can be asked).

A person's score is a smoothed estimate of how likely they are to write on
this topic, times how active they are. The topic evidence sums what their best
few matching documents are worth (a per-person cap, so one person's hundred
loose matches do not bury a specialist's five close ones); it is divided by
their overall volume with Dirichlet smoothing, ``(topic + smoothing ×
background) / (volume + smoothing)``: what they wrote on *this* topic against
how much they write, so specialists surface, without letting one lucky answer
outweigh a long record. The prior is their recent activity (contributions
halved in worth every 7 days, counted back from the site's newest one): who
knows the topic *and* answers now; times a penalty for a smoothed
accepted-answer rate below the usual (someone who answers a lot but is rarely
accepted is seldom the one to ask), never a bonus for many accepted answers.
Both were chosen on the forecast's tuning windows (``make eval``), among the
settings that keep specialists first (``search/evaluation/experts.py``).
Imported and former accounts count as evidence; ``reachable`` says whether
someone may be notified or asked, and ``reachable_only`` keeps only them.
"""

import heapq
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from elasticsearch import Elasticsearch
from elasticsearch.exceptions import ApiError, TransportError

from kb.qa.models import Answer, Question

from .client import get_client
from .index import read_alias
from .people import people_records
from .queries import visibility_filter
from .visibility import readable_keys

# The kinds of evidence, as the API names them, and what each is worth.
ROLES = ("accepted", "answers", "pages", "entries")


@dataclass(frozen=True)
class ExpertParams:
    """The knobs of the ranking, chosen on the forecast's tuning questions
    (``make eval``, Cardano dump, 2026-11-28: two earlier windows, the
    questions between the 40% and 60% cuts and between 60% and 80%, never
    those it reports on): the grid's best point there."""

    docs: int = 200  # matching documents read as evidence
    per_person: int = 3  # at most this many documents count for one person
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "accepted": 3.0,
            "answers": 1.0,
            "pages": 2.0,
            "entries": 0.5,
        }
    )
    # (topic + smoothing * background) / (volume + smoothing) ** volume_power
    smoothing: float = 30.0
    background: float = 0.03
    volume_power: float = 0.5
    # x (recent activity + activity_offset) ** activity_power, activity read
    # from the people record's ``activity_field`` (a week's or a month's half-life)
    activity_field: str = "activity_7d"
    activity_power: float = 0.5
    activity_offset: float = 0.01
    # x (accepted-answer rate / accept_prior) ** accept_power, the rate smoothed,
    # (accepted + accept_smoothing * accept_prior) / (answered + accept_smoothing),
    # and capped at the prior (about the sites' rate): the forecast names who gets
    # *accepted*, so someone who answers a lot but is rarely accepted is seldom
    # the one; a penalty only, never a bonus for many accepted answers, which
    # would bury specialists under the prolific again.
    accept_power: float = 2.0
    accept_smoothing: float = 10.0
    accept_prior: float = 0.3
    evidence_items: int = 3  # documents shown as evidence per person


DEFAULT_PARAMS = ExpertParams()


# Where the topic is looked for (stemmed titles count most, then tags and the
# answers): the folded copies of titles and bodies doubled the request's cost
# for no gain on the forecast. Answers stay in the query, not in a rescore as
# in search: a document found by its answers alone is evidence for whoever
# wrote them (rescored, the forecast's tune windows fell from top 5 / top 10
# 0.413 / 0.550 to 0.404 / 0.532; ``search_eval_experts --phase tune``,
# 2026-11-29 17:01).
EXPERT_FIELDS = [
    "title.en^3",
    "tags^2",
    "body.en",
    "accepted_answer.en",
    "answers.en",
]
# What a matching document tells about its contributors, read from doc values
# and the stored title: no hit's whole ``_source`` (answers included) is parsed.
EVIDENCE_VALUES = [
    "kind",
    "object_id",
    "url",
    "author",
    "answerers",
    "accepted_answerer",
    "tags",
]


def expert_query(*, q: str, viewer, size: int) -> dict[str, Any]:
    """The evidence request: readable content matching ``q``, contributors only."""
    return {
        "size": size,
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": q,
                            "fields": EXPERT_FIELDS,
                            "type": "most_fields",
                        }
                    }
                ],
            }
        },
        # After scoring, as in every search without aggregations (see
        # ``search.queries.permitted``): the hits read are still only readable ones.
        "post_filter": visibility_filter(viewer).to_dict(),
        "_source": False,
        "stored_fields": ["title"],
        "docvalue_fields": EVIDENCE_VALUES,
        "track_total_hits": False,
    }


def _as_source(hit: dict) -> dict:
    """A hit of ``expert_query`` shaped as if its ``_source`` had been read."""
    if "_source" in hit:
        return hit
    values = hit.get("fields") or {}
    source: dict[str, Any] = {
        name: values.get(name, []) for name in ("answerers", "tags")
    }
    for name in ("kind", "object_id", "url", "author", "accepted_answerer"):
        found = values.get(name)
        source[name] = found[0] if found else None
    title = values.get("title")
    source["title"] = title[0] if title else ""
    return {**hit, "_source": source}


def _contributions(hit: dict) -> list[tuple[str, str]]:
    """(username, role) for everyone a matching document counts for."""
    source = hit["_source"]
    kind = source.get("kind")
    if kind == "question":
        accepted = source.get("accepted_answerer")
        rows = [(accepted, "accepted")] if accepted else []
        return rows + [
            (name, "answers")
            for name in source.get("answerers") or []
            if name != accepted
        ]
    if kind == "page" and source.get("author"):
        return [(source["author"], "pages")]
    if kind == "entry" and source.get("author"):
        return [(source["author"], "entries")]
    return []


def contributors(hits: list[dict]) -> set[str]:
    """Everyone ``hits`` count for: the candidates ``rank_experts`` ranks."""
    return {name for hit in hits for name, _ in _contributions(hit)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A contributor of the matching documents, as ``expert_score`` reads them:
    what their best matching documents are worth (``topic``), how much they
    wrote overall, and their people-index record (``None`` when missing)."""

    username: str
    topic: float
    volume: float
    answered: float
    accepted: float
    record: dict | None
    parts: list[tuple[float, str, dict]]  # (worth, role, source), best first
    counts: dict[str, int]
    tags: dict[str, int]

    def activity(self, name: str) -> float:
        """Recent activity as the record's field ``name`` holds it."""
        if self.record is None:  # not in the people index yet (it lags by up
            # to a quarter-hour): what was found, all of it counted as recent
            return float(len(self.parts))
        # A record built before the field existed: the month's activity.
        return self.record.get(name, self.record.get("activity", 0.0))


def candidates(
    hits: list[dict], records: dict[str, dict], params: ExpertParams = DEFAULT_PARAMS
) -> list[Candidate]:
    """The contributors of ``hits`` with what ranks them (pure: no I/O). Reads
    ``params.weights`` and ``params.per_person`` only; ``expert_score`` the
    rest, so a grid over the other knobs gathers each list once."""
    top = max((h.get("_score") or 0 for h in hits), default=0) or 1.0
    found: dict[str, dict[str, Any]] = {}
    for hit in hits:
        relevance = (hit.get("_score") or 0) / top
        source = hit["_source"]
        for username, role in _contributions(hit):
            person = found.setdefault(
                username,
                {"parts": [], "counts": dict.fromkeys(ROLES, 0), "tags": {}},
            )
            person["parts"].append((params.weights[role] * relevance, role, source))
            person["counts"][role] += 1
            if role == "accepted":  # an accepted answer is an answer too
                person["counts"]["answers"] += 1
            for tag in source.get("tags") or []:
                person["tags"][tag] = person["tags"].get(tag, 0) + 1
    gathered = []
    for username, person in found.items():
        parts = sorted(person["parts"], key=lambda p: -p[0])
        record = records.get(username) or None
        if record:
            answered = record.get("answers", 0) + record.get("accepted", 0)
            volume = answered + record.get("pages", 0) + record.get("entries", 0)
            accepted = record.get("accepted", 0)
        else:
            volume = len(parts)
            answered = person["counts"]["answers"]
            accepted = person["counts"]["accepted"]
        gathered.append(
            Candidate(
                username=username,
                topic=sum(p[0] for p in parts[: params.per_person]),
                volume=volume,
                answered=answered,
                accepted=accepted,
                record=record,
                parts=parts,
                counts=person["counts"],
                tags=person["tags"],
            )
        )
    return gathered


def expert_score(person: Candidate, params: ExpertParams = DEFAULT_PARAMS) -> float:
    """How likely ``person`` writes on the topic (smoothed by their volume),
    times their recent activity, times the penalty of a low accepted rate."""
    likelihood = (person.topic + params.smoothing * params.background) / (
        person.volume + params.smoothing
    ) ** params.volume_power
    prior = (
        person.activity(params.activity_field) + params.activity_offset
    ) ** params.activity_power
    score = likelihood * prior
    if params.accept_power:
        rate = (person.accepted + params.accept_smoothing * params.accept_prior) / (
            person.answered + params.accept_smoothing
        )
        score *= min(1.0, rate / params.accept_prior) ** params.accept_power
    return score


def ranked_names(people: list[Candidate], params: ExpertParams, k: int) -> list[str]:
    """The usernames of the best ``k`` of ``people`` (as ``rank_experts`` orders)."""
    scored = [(-expert_score(p, params), p.username) for p in people]
    return [name for _, name in heapq.nsmallest(k, scored)]


def rank_experts(
    hits: list[dict], records: dict[str, dict], params: ExpertParams = DEFAULT_PARAMS
) -> list[dict[str, Any]]:
    """Rank the contributors of ``hits`` (pure: no I/O), best first.

    ``hits`` are Elasticsearch hits of ``expert_query``; ``records`` the
    people-index records by username (``people_records``), possibly missing.
    """
    ranked: list[dict[str, Any]] = [
        {
            "username": person.username,
            "score": expert_score(person, params),
            "counts": person.counts,
            "tags": person.tags,
            "items": [
                {
                    "role": role,
                    "kind": source.get("kind"),
                    "title": source.get("title") or "",
                    "url": source.get("url") or "",
                }
                for _, role, source in person.parts[: params.evidence_items]
            ],
        }
        for person in candidates(hits, records, params)
    ]
    ranked.sort(key=lambda p: (-p["score"], p["username"]))
    return ranked


def expert_evidence(
    client: Elasticsearch, *, q: str, viewer, params: ExpertParams = DEFAULT_PARAMS
) -> tuple[list[dict], dict[str, dict]]:
    """The two requests behind a ranking: readable matching content, then the
    people-index records of everyone it names."""
    response = client.search(
        index=read_alias(), **expert_query(q=q, viewer=viewer, size=params.docs)
    )
    hits = [_as_source(hit) for hit in response["hits"]["hits"]]
    # A lagging index must not credit (or show) what the reader may no longer see.
    readable = readable_keys(
        [(h["_source"].get("kind"), h["_source"].get("object_id")) for h in hits],
        viewer=viewer,
    )
    hits = [
        h
        for h in hits
        if (h["_source"].get("kind"), str(h["_source"].get("object_id"))) in readable
    ]
    names = sorted(contributors(hits))
    records = people_records(
        client,
        usernames=names,
        members=bool(getattr(viewer, "is_authenticated", False)),
    )
    return hits, records


def expert_list(
    *,
    q: str,
    viewer,
    limit: int = 10,
    reachable_only: bool = False,
    tags: tuple[str, ...] | list[str] = (),
    params: ExpertParams = DEFAULT_PARAMS,
) -> list[dict[str, Any]] | None:
    """Who knows about ``q``, best first, from content ``viewer`` may read.

    Each person: ``username``, ``user_id``, ``display_name``, ``score``,
    ``reachable`` (an active account: may be notified or asked) and
    ``evidence`` (counts per kind, ``top_tags`` and ``items``: the matching
    answers, pages and entries that made them an expert, all readable by
    ``viewer``). ``reachable_only`` keeps people who may be asked.

    When no search node answers: with ``tags``, the people with most accepted
    answers in those tags (the database fallback routing needs); without,
    ``None`` (pages say search is unavailable).
    """
    client = get_client()
    if not q.strip() and not tags:
        return None
    try:
        if client is None:
            raise ConnectionError("no search node")
        hits, records = expert_evidence(client, q=q, viewer=viewer, params=params)
    except (TransportError, ApiError, ConnectionError):
        if not tags:
            return None
        return _experts_in_tags(tags=tags, limit=limit, reachable_only=reachable_only)
    ranked = rank_experts(hits, records, params)
    accounts = {
        row[0]: row[1:]
        for row in get_user_model()
        .objects.filter(username__in=[p["username"] for p in ranked])
        .values_list("username", "pk", "display_name", "is_active")
    }
    people = []
    for person in ranked:
        account = accounts.get(person["username"])
        if account is None or (reachable_only and not account[2]):
            continue
        people.append(
            {
                "username": person["username"],
                "user_id": account[0],
                "display_name": account[1] or person["username"],
                "score": round(person["score"], 4),
                "reachable": account[2],
                "evidence": {
                    **person["counts"],
                    "top_tags": [
                        t
                        for t, _ in sorted(
                            person["tags"].items(), key=lambda i: (-i[1], i[0])
                        )[:5]
                    ],
                    "items": person["items"],
                },
            }
        )
        if len(people) >= limit:
            break
    return people


def _experts_in_tags(
    *, tags: tuple[str, ...] | list[str], limit: int, reachable_only: bool
) -> list[dict[str, Any]]:
    """Most accepted answers on visible questions in ``tags`` (one query)."""
    accepted = Question.objects.visible().filter(
        tags__name__in=list(tags),
        accepted_answer__isnull=False,
        accepted_answer__is_deleted=False,
        accepted_answer__author__erased_at__isnull=True,
    )
    if reachable_only:
        accepted = accepted.filter(accepted_answer__author__is_active=True)
    rows = (
        accepted.values(
            user_id=F("accepted_answer__author_id"),
            username=F("accepted_answer__author__username"),
            display_name=F("accepted_answer__author__display_name"),
            reachable=F("accepted_answer__author__is_active"),
        )
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "user_id")[:limit]
    )
    return [
        {
            "username": row["username"],
            "user_id": row["user_id"],
            "display_name": row["display_name"] or row["username"],
            "score": float(row["n"]),
            "reachable": row["reachable"],
            "evidence": {
                **dict.fromkeys(ROLES, 0),
                "accepted": row["n"],
                "answers": row["n"],
                "top_tags": [],
                "items": [],
            },
        }
        for row in rows
    ]


def expertise_tags(*, user, limit: int = 8) -> list[dict[str, Any]]:
    """Tags ``user`` answered in, most accepted first: ``[{"tag", "answers",
    "accepted"}]`` counting distinct questions (one query)."""
    rows = (
        Answer.objects.filter(
            author=user,
            is_deleted=False,
            question__is_deleted=False,
            question__tags__isnull=False,
        )
        .values(tag=F("question__tags__name"))
        .annotate(
            answers=Count("question", distinct=True),
            accepted=Count(
                "question",
                distinct=True,
                filter=Q(question__accepted_answer=F("pk")),
            ),
        )
        .order_by("-accepted", "-answers", "tag")[:limit]
    )
    return [
        {"tag": row["tag"], "answers": row["answers"], "accepted": row["accepted"]}
        for row in rows
    ]
