import json

from django.core.management.base import BaseCommand

from search.status import search_status


class Command(BaseCommand):
    help = (
        "Node health, alias → index, documents per kind vs. database, outbox backlog."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **options) -> None:
        report = search_status()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, default=str))
            return
        node = report["node"]
        self.stdout.write(
            f"Node:     {node['status']} {node.get('detail', '')}".rstrip()
        )
        self.stdout.write(
            f"Alias:    {report['alias']} -> {', '.join(report['indices']) or '-'}"
        )
        if report["missing_fields"]:
            self.stdout.write(
                self.style.WARNING(
                    "Mapping:  the live index lacks "
                    f"{', '.join(report['missing_fields'])}: run search_reindex "
                    "(snippets come from the stored summary)"
                )
            )
        shape = report["index"]
        if shape:
            self.stdout.write(
                f"Index:    {shape['segments']} segments, "
                f"{shape['size_bytes'] / 2**20:,.0f} MiB"
            )
            if not shape["merge_policy"]:
                self.stdout.write(
                    self.style.WARNING(
                        "Segments: the live index was built with Elasticsearch's "
                        "default merge policy (more segments, slower queries): run "
                        "search_reindex"
                    )
                )
        self.stdout.write("Documents (index / database):")
        for kind, counts in report["kinds"].items():
            mark = "" if counts["index"] == counts["database"] else "  <- differs"
            self.stdout.write(
                f"  {kind:<9} {counts['index']!s:>8} / {counts['database']:<8}{mark}"
            )
        outbox = report["outbox"]
        self.stdout.write(
            f"Outbox:   {outbox['pending']} pending, oldest "
            f"{outbox['oldest_age_seconds']:.0f}s, {outbox['failing']} failing, "
            f"{outbox['parked']} parked"
        )
        for row in outbox["parked_rows"]:
            self.stdout.write(
                self.style.WARNING(f"  parked {row['row']}: {row['error']}")
            )
        people = report["people"]
        line = (
            f"People:   {people['people'] if people['people'] is not None else '-'} "
            f"in the index / {people['expected']} with contributions"
        )
        if people["reachable"] is not None:
            line += f", {people['reachable']} can be asked"
        if people["state"] == "ok":
            self.stdout.write(line)
        else:
            self.stdout.write(
                self.style.WARNING(f"{line}  <- {people['state']}: {people['reason']}")
            )
