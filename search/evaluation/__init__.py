"""Relevance evaluation (`make eval`): Hallway's search against a plain BM25 query
on a real Stack Exchange site, judged by the links people made between questions.

- ``dataset``: the dump's links, the scratch import and the tune/report split;
- ``metrics``: MRR, Recall@k, paired bootstrap intervals, latency, diversity;
- ``methods``: what is compared (ours and the BM25 baseline, per surface);
- ``harness``: the sections of the report, one function each (``SECTIONS``);
- ``experts``: "who knows X" as a forecast (its own scratch import of what was
  posted before a cut date: ``manage.py search_eval_experts``).
"""
