"""The last demo loader: reputation and badges for content loaded before it."""

from .demo import load_reputation as load

__all__ = ["load"]
