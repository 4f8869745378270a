"""Production settings: everything from the environment, nothing insecure by default."""

from .base import *  # noqa: F403
from .base import DEBUG, LOGGING

if DEBUG:
    import warnings

    warnings.warn("DEBUG is on in production settings.", stacklevel=1)

LOGGING["root"]["level"] = "INFO"
