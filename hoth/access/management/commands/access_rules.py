"""Every rule and scope of the access gate, in one table.

The rules live beside their models, in each app's access.py; this is where a
reviewer reads them all at once. `--markdown` prints the section kept in
docs/security-model.md, which a test holds to this output."""

from django.core.management.base import BaseCommand

from hoth.access import policy

START = "<!-- access_rules: start (manage.py access_rules --markdown) -->"
END = "<!-- access_rules: end -->"


Row = tuple[str, str, str]


def rows() -> tuple[list[Row], list[Row]]:
    rules = [(r.action, _app(r.module), r.doc) for r in sorted(policy.RULES.values(), key=lambda r: r.action)]
    scopes = [(s.model, _app(s.module), s.doc) for s in sorted(policy.SCOPES.values(), key=lambda s: s.model)]
    return rules, scopes


def _app(module: str) -> str:
    return module.removeprefix("hoth.").removesuffix(".access")


def markdown() -> str:
    rules, scopes = rows()
    lines = [START, "", "| action | app | who may |", "|---|---|---|"]
    lines += [f"| `{action}` | {app} | {doc} |" for action, app, doc in rules]
    lines += ["", "| model | app | who sees which records |", "|---|---|---|"]
    lines += [f"| `{model}` | {app} | {doc} |" for model, app, doc in scopes]
    return "\n".join(lines + ["", END])


class Command(BaseCommand):
    help = "Print every access rule (action, app, who) and every scope (model, app, what is seen)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown", action="store_true", help="print the section of docs/security-model.md that lists them"
        )

    def handle(self, *args, **options):
        if options["markdown"]:
            self.stdout.write(markdown())
            return
        rules, scopes = rows()
        self.stdout.write(self._table(("action", "app", "who may"), rules))
        self.stdout.write("")
        self.stdout.write(self._table(("model", "app", "who sees which records"), scopes))
        self.stdout.write(f"\n{len(rules)} rules, {len(scopes)} scopes")

    def _table(self, heading, rows):
        widths = [max(len(row[i]) for row in (heading, *rows)) for i in range(2)]
        line = lambda row: f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}"  # noqa: E731
        return "\n".join([line(heading), line(["-" * widths[0], "-" * widths[1], "-" * 8])] + [line(r) for r in rows])
