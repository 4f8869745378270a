"""Settings: ``base`` is production-safe; local, test and production adjust it."""
