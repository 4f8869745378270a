"""Language analysis on the real node: stemming, folding, synonyms, as-you-type."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from home.demo import load
from search.client import get_client
from search.documents import analysis_level, analysis_settings
from search.index import read_alias
from search.indexing import drain_all
from search.models import SearchSettings, synonym_rules, validate_synonyms
from search.queries import SearchParams
from search.reindex import reindex
from search.services import autocomplete, search_content
from tests.communities.factories import make_community
from tests.qa.factories import make_question

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def questions(elasticsearch, user):
    load()
    community = make_community()
    made = {
        "deploy": make_question(
            community=community,
            author=user,
            title="Deployments of the billing service keep failing",
        ),
        "cafe": make_question(
            community=community, author=user, title="Where is the café menu for Friday?"
        ),
        "dutch": make_question(
            community=community,
            author=user,
            title="Nieuwe ontwikkelingen in het datateam",
            body="Wat zijn de ontwikkelingen rond dashboards en rapportages?",
        ),
        "kube": make_question(
            community=community,
            author=user,
            title="Kubernetes pods restart after an upgrade",
        ),
    }
    drain_all()
    get_client().indices.refresh(index=read_alias())
    return made


def _ids(q: str) -> list[int]:
    params = SearchParams(q=q)
    return [r["id"] for r in search_content(params, viewer=AnonymousUser()).results]


@pytest.mark.elasticsearch
def test_the_test_node_runs_the_hallway_analysis_plugin(elasticsearch):
    assert analysis_level(elasticsearch) == "plugin"


@pytest.mark.elasticsearch
def test_english_stemming(questions):
    assert _ids("deploying")[0] == questions["deploy"].pk
    assert _ids("failed")[0] == questions["deploy"].pk


@pytest.mark.elasticsearch
def test_dutch_stemming(questions):
    assert _ids("ontwikkeling")[0] == questions["dutch"].pk


@pytest.mark.elasticsearch
def test_ascii_folding(questions):
    assert _ids("cafe")[0] == questions["cafe"].pk


@pytest.mark.elasticsearch
def test_search_as_you_type_matches_word_starts_anywhere(questions):
    titles = [s["title"] for s in autocomplete("bill", viewer=AnonymousUser())]
    assert titles == [questions["deploy"].title]


@pytest.mark.elasticsearch
def test_synonyms_apply_after_a_reindex(questions):
    assert questions["kube"].pk not in _ids("k8s")
    SearchSettings.objects.create(synonyms="# containers\nk8s, kubernetes\n")
    assert synonym_rules() == ["k8s, kubernetes"]
    reindex(get_client())
    assert _ids("k8s")[0] == questions["kube"].pk


def test_synonym_rules_are_validated():
    validate_synonyms("k8s, kubernetes\npr => pull request\n# comment\n")
    with pytest.raises(ValidationError, match="Line 2"):
        validate_synonyms("ok, fine\n<script>\n")


def test_basic_analysis_defines_every_analyzer_name():
    names = set(analysis_settings("basic", [])["analyzer"])
    assert names == set(analysis_settings("plugin", ["a, b"])["analyzer"])


def test_community_leads_may_edit_the_synonyms(client, user):
    load()
    make_community(lead=user)
    client.force_login(user)
    assert user.has_perm("hallway_search.change_searchsettings")
    # Wagtail redirects the settings index to this site's edit form; a denial
    # would redirect elsewhere (the admin home or the login page).
    response = client.get("/admin/settings/hallway_search/searchsettings/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain
    final = response.request["PATH_INFO"]
    assert final.startswith("/admin/settings/hallway_search/searchsettings/")
    assert final != "/admin/settings/hallway_search/searchsettings/"
