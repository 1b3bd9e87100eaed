"""Precision, recall and F1 of the offline classifiers on the labelled evaluation set.

    python benchmarks/classifiers.py                    # every split, per language and class
    python benchmarks/classifiers.py --split test2      # only the last split written after a freeze
    python benchmarks/classifiers.py --errors           # also list every wrong answer (not test3's)
    python benchmarks/classifiers.py --json out.json    # figures as JSON

The set (tests/data/moderation_eval.jsonl) has three splits. "dev" was used while writing
the lexicons; "test1" was written after a first freeze, measured, then used for a second
round of general fixes; "test2" was written after the second freeze and never tuned on; "test3"
(tests/data/moderation_eval_test3.jsonl, hash frozen in LEXICONS.md) was written before the
third round and is held out: its misses are not listed (see cmdesk/core/moderation/LEXICONS.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmdesk.core.moderation.classifiers import classify  # noqa: E402
from cmdesk.core.moderation.language import detect_language  # noqa: E402

EVAL = ROOT / "tests" / "data" / "moderation_eval.jsonl"
# test3 lives in its own file so that its hash can be frozen (see LEXICONS.md). It is a
# held-out split: its figures are printed, its individual misses are not (no --errors), so
# that nobody tunes on it by accident.
EVAL_TEST3 = ROOT / "tests" / "data" / "moderation_eval_test3.jsonl"
FROZEN = ("test3",)
SENTIMENTS = ("positive", "neutral", "negative")


def prf(pairs: list[tuple[bool, bool]]) -> dict[str, float | int]:
    """Precision, recall, F1 for (truth, predicted) pairs of one binary class."""
    tp = sum(1 for t, p in pairs if t and p)
    fp = sum(1 for t, p in pairs if not t and p)
    fn = sum(1 for t, p in pairs if t and not p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"support": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def evaluate(rows: list[dict]) -> tuple[dict, list[str]]:
    """Figures per language and class, and a line per wrong answer."""
    results: dict[str, dict] = {}
    errors: list[str] = []
    for lang in [*sorted({r["lang"] for r in rows}), "all"]:
        subset = [r for r in rows if lang == "all" or r["lang"] == lang]
        predictions = [(r, classify(r["text"])) for r in subset]
        figures: dict[str, dict] = {}
        figures["toxic"] = prf([(r["toxic"], s.toxicity_label == "toxic") for r, s in predictions])
        figures["threat"] = prf([(r["threat"], s.threat >= 0.5) for r, s in predictions])
        figures["spam"] = prf([(r["spam"], s.spam_label == "spam") for r, s in predictions])
        rated = [(r, s) for r, s in predictions if r.get("sentiment")]
        for label in SENTIMENTS:
            pairs = [(r["sentiment"] == label, s.sentiment_label == label) for r, s in rated]
            figures[f"sentiment:{label}"] = prf(pairs)
        correct = sum(1 for r, s in rated if r["sentiment"] == s.sentiment_label)
        accuracy = correct / len(rated) if rated else 0.0
        figures["sentiment:accuracy"] = {"support": len(rated), "accuracy": accuracy}
        detected = sum(1 for r in subset if detect_language(r["text"]) == r["lang"])
        figures["language:accuracy"] = {"support": len(subset), "accuracy": detected / len(subset) if subset else 0}
        results[lang] = figures
        if lang == "all":
            for r, s in predictions:
                wrong = []
                if r["toxic"] != (s.toxicity_label == "toxic"):
                    wrong.append(f"toxic={r['toxic']} got {s.toxicity:.2f}")
                if r["spam"] != (s.spam_label == "spam"):
                    wrong.append(f"spam={r['spam']} got {s.spam:.2f}")
                if r.get("sentiment") and r["sentiment"] != s.sentiment_label:
                    wrong.append(f"sentiment={r['sentiment']} got {s.sentiment_label} ({s.sentiment:+.2f})")
                if wrong:
                    errors.append(f"{r['id']} [{r['category']}] {'; '.join(wrong)}: {r['text']!r}")
    return results, errors


def table(split: str, results: dict) -> str:
    lines = [f"\n== split: {split} ==", f"{'lang':5} {'class':20} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for lang, figures in results.items():
        for name, f in figures.items():
            if "accuracy" in f:
                accuracy = f"acc {f['accuracy']:.3f}"
                lines.append(f"{lang:5} {name:20} {f['support']:>4} {'':>6} {'':>6} {accuracy:>6}")
            else:
                lines.append(
                    f"{lang:5} {name:20} {f['support']:>4} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f}"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test1", "test2", "test3", "all", "each"), default="each")
    parser.add_argument("--errors", action="store_true", help="list every wrong answer")
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    parser.add_argument(
        "--data", action="append", help="a JSON-lines evaluation set (repeatable; default: the two CMDesk files)"
    )
    parser.add_argument(
        "--show-frozen-errors", action="store_true", help="with --errors, also list test3's misses (spoils it)"
    )
    args = parser.parse_args(argv)
    paths = args.data or [str(EVAL), str(EVAL_TEST3)]
    rows = [
        json.loads(line)
        for path in paths
        if Path(path).exists()
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    splits = ("dev", "test1", "test2", "test3") if args.split == "each" else (args.split,)
    report = {}
    started = time.perf_counter()
    for split in splits:
        chosen = [r for r in rows if split == "all" or r["split"] == split]
        if not chosen:
            print(f"\n== split: {split} == (no rows)")
            continue
        results, errors = evaluate(chosen)
        report[split] = results
        print(table(split, results))
        if args.errors and split in FROZEN and not args.show_frozen_errors:
            print(f"\n-- {len(errors)} wrong answers ({split}): not listed, the split is held out --")
        elif args.errors:
            print(f"\n-- {len(errors)} wrong answers ({split}) --")
            print("\n".join(errors))
    print(f"\n{len(rows)} labelled comments; classified in {time.perf_counter() - started:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
