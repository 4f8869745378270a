"""A real OpenID Connect provider for the single sign-on tests.

django-oauth-toolkit's provider in a tiny Django project of its own, run as a
separate server process on a free loopback port (``server.py``). People and
their claims come from a JSON file whose path is in ``OIDC_TEST_PEOPLE``; the
file is read on every request, so a test can change someone's claims between
two logins.
"""
