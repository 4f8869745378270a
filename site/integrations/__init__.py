"""Hallway talking to other systems: signed webhooks, team chat, single sign-on.

Webhooks and chat channels share one delivery machinery: a domain event (sent
by the owning app on commit) becomes a frozen delivery per subscribed endpoint
(``events.py`` decides what each event may carry and to whom), and the task
worker posts it, retrying with back-off for 24 hours (``transport.py`` guards
against private addresses). Single sign-on is OpenID Connect through
mozilla-django-oidc, with endpoint discovery and claim mapping in ``oidc.py``.
"""
