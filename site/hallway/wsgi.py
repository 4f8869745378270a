"""WSGI entry point (gunicorn hallway.wsgi)."""

import os
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
for path in (str(_ROOT / "site"), str(_ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hallway.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

# Each web process loads the sentence encoder as it starts (on a thread), so the
# first "similar questions" request after a restart does not wait for it.
from search.meaning import warm_in_background  # noqa: E402

warm_in_background()
