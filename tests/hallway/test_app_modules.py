"""Every first-party app's signal handlers and personal-data hooks are
connected once at start-up by one convention (``hallway.apps``)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from people import signal_handlers as people_handlers


def test_each_handler_is_connected_exactly_once():
    sync_receivers, _ = post_save._live_receivers(get_user_model())
    assert sync_receivers.count(people_handlers.on_user_created) == 1
