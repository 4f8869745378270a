"""Dev-only tooling, never imported by the running site: the local Elasticsearch
node manager (``python -m tools.node``) and its analysis plugin (``es_plugin/``),
the search benchmark (``make bench``), a throw-away PostgreSQL wrapper
(``with_throwaway_postgres.sh``) and the import-hygiene check (``layering.py``).
Only management commands and the tests import from here (import-linter checks it).
"""
