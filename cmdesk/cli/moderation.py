"""Moderation commands: ``classify``, ``rules list|test|import|export``, ``audit verify|export``.

``classify`` and ``rules test`` read JSON lines on standard input and write one line per
input as they go: they run over a whole export in constant memory.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from cmdesk.cli.common import UserError, add_profile, workspace


def register(sub) -> None:
    classify = sub.add_parser("classify", help='score JSON lines {"text", "lang"?} from stdin (toxicity, spam…)')
    classify.set_defaults(func=run_classify)

    rules = sub.add_parser("rules", help="moderation rules: list, test, import, export")
    rsub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    listing = rsub.add_parser("list", help="the profile's rules, in order")
    add_profile(listing)
    listing.set_defaults(func=run_rules_list)
    test = rsub.add_parser("test", help="which rule matches each JSON line of stdin, and why")
    test.add_argument("file", help="a rules file (YAML); '-' for the profile's own rules")
    test.add_argument("--json", action="store_true", help="write JSON lines instead of sentences")
    add_profile(test)
    test.set_defaults(func=run_rules_test)
    imp = rsub.add_parser("import", help="replace the profile's rules with a rules file (all or nothing)")
    imp.add_argument("file")
    add_profile(imp)
    imp.set_defaults(func=run_rules_import)
    exp = rsub.add_parser("export", help="write the profile's rules as a rules file")
    exp.add_argument("--out", required=True, metavar="FILE", help="output file, or - for standard output")
    add_profile(exp)
    exp.set_defaults(func=run_rules_export)

    audit = sub.add_parser("audit", help="the tamper-evident audit log")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = asub.add_parser("verify", help="check the hash chain; report the first broken link")
    add_profile(verify)
    verify.set_defaults(func=run_audit_verify)
    export = asub.add_parser("export", help="export the audit log as CSV")
    export.add_argument("--out", required=True, metavar="FILE", help="output file, or - for standard output")
    add_profile(export)
    export.set_defaults(func=run_audit_export)


def _write_line(text: str) -> None:
    sys.stdout.write(text + "\n")


def run_classify(args) -> int:
    from cmdesk.core.moderation import classify_lines

    for result in classify_lines(sys.stdin):
        _write_line(json.dumps(result, ensure_ascii=False))
    return 0


def _read_rules_file(path: str):
    from cmdesk.core.moderation.rulefile import load

    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read {path}: {exc}.") from exc
    result = load(text)
    if result.errors:
        raise UserError(f"{path} has errors, nothing was used:\n" + "\n".join(f"  {e}" for e in result.errors))
    return result.rules


def run_rules_list(args) -> int:
    from cmdesk.store.rules import load_rules

    with workspace(args) as ws:
        rules = load_rules(ws.store)
    if not rules:
        print("No rules.")
    for position, rule in enumerate(rules, 1):
        state = "" if rule.enabled else "  (off)"
        actions = ", ".join(a.kind for a in rule.then)
        print(f"{position:>3}. {rule.name} — {rule.label} [{actions}]{state}")
    return 0


def run_rules_test(args) -> int:
    from cmdesk.core.moderation import RuleSet, format_rule_result, rules_test_lines
    from cmdesk.store.rules import load_rules

    if args.file == "-":
        with workspace(args) as ws:
            rules = load_rules(ws.store)
    else:
        rules = _read_rules_file(args.file)
    ruleset = RuleSet.compile([r for r in rules if r.enabled])
    for result in rules_test_lines(ruleset, sys.stdin):
        _write_line(json.dumps(result, ensure_ascii=False) if args.json else format_rule_result(result))
    return 0


def run_rules_import(args) -> int:
    from cmdesk.store.rules import replace_rules

    rules = _read_rules_file(args.file)
    with workspace(args) as ws:
        replace_rules(ws.store, rules)
        ws.store.append_audit(actor=ws.agent, action="rules", detail=f"imported {len(rules)} rules from {args.file}")
    print(f"Imported {len(rules)} rules.")
    return 0


def run_rules_export(args) -> int:
    from cmdesk.core.moderation.rulefile import dump
    from cmdesk.store.rules import load_rules

    with workspace(args) as ws:
        text = dump(load_rules(ws.store))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(args.out).write_text(text, "utf-8")
        except OSError as exc:
            raise UserError(f"Cannot write {args.out}: {exc.strerror or exc}.") from exc
        print(f"Exported the rules to {args.out}.", file=sys.stderr)
    return 0


def run_audit_verify(args) -> int:
    from cmdesk.store import audit

    with workspace(args) as ws:
        broken = audit.verify(ws.store)
        total = len(ws.store.audit_entries(limit=10**9))
    if broken is None:
        print(f"Audit log intact: {total} entries, every link holds.")
        return 0
    print(f"Audit log BROKEN at entry #{broken}: it or the one before it was changed or removed after it was written.")
    return 1


def run_audit_export(args) -> int:
    from cmdesk.services.export import safe_cell
    from cmdesk.store import audit

    fields = ("id", "at", "actor", "action", "item_id", "account_id", "detail", "reason", "rule", "prev_hash", "hash")
    with workspace(args) as ws:
        out = sys.stdout if args.out == "-" else _open(args.out)
        try:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(fields)
            count = 0
            for row in audit.iter_rows(ws.store):
                writer.writerow([safe_cell("" if row[f] is None else row[f]) for f in fields])
                count += 1
        finally:
            if out is not sys.stdout:
                out.close()
    if args.out != "-":
        print(f"Exported {count} audit entries to {args.out}.", file=sys.stderr)
    return 0


def _open(path: str):
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
