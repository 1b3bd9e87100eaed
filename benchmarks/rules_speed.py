"""Rule evaluation speed: 20 rules, 1,000 keywords and 20 regexes over 100,000 items.

    python benchmarks/rules_speed.py                 # the full run
    python benchmarks/rules_speed.py --items 20000   # quicker
    python benchmarks/rules_speed.py --json out.json
    python benchmarks/rules_speed.py --words words.txt   # the 1,000 keywords from a file (one a line)
    python benchmarks/rules_speed.py --save-words words.txt  # keep this run's keywords

The keywords come from the shipped lexicons (then made-up names): when the lexicons grow,
the workload changes a little. To compare two versions of the code on the same workload,
save the keywords of one run (``--save-words``) and give them to the other (``--words``).

Items are everyday comments (the civil part of the evaluation set, mixed, with one of the
rules' keywords slipped into one item in ten). Each rule is ``any: [keywords (50 terms),
regex]``: the shape that forces the most work,
since a keyword miss still leaves the regex to try. The baseline, measured in the same run
on the same items, is the naive way: lower-case the text, then for each rule test each
keyword with ``in`` and run the rule's regex (stdlib ``re``, no time-out). The table gives
each figure with its ratio to that baseline, in wall-clock time and in CPU time of this
process (the machine is shared: CPU time is the fairer figure when its load is high). The
methods take turns on slices of 5,000 items, so that the load of the moment weighs on all of
them; ``--repeat 3`` gives the median of three passes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmdesk.core.moderation.conditions import Action, Condition, Rule  # noqa: E402
from cmdesk.core.moderation.lexicon import entries, weighted  # noqa: E402
from cmdesk.core.moderation.rules import ItemFacts, RuleSet  # noqa: E402

EVAL = ROOT / "tests" / "data" / "moderation_eval.jsonl"
REGEXES = [
    r"\b\d{2}(?:[ .]?\d{2}){4}\b",
    r"https?://\S+",
    r"[\w.+-]+@[\w-]+\.\w{2,}",
    r"\b\d+\s?(?:€|eur|euros)\b",
    r"\$\d+(?:,\d{3})*",
    r"\bbit\.ly/\w+",
    r"\bt\.me/\w+",
    r"\bwhats?app\b",
    r"\bpromo\s*code\s*\w+",
    r"\bcode\s+promo\b",
    r"\border\s*#?\d{4,}",
    r"\bcommande\s*n?°?\s*\d{4,}",
    r"\b(?:free|gratuit)\s+\w+",
    r"\b(?:dm|mp)\s+(?:me|moi)\b",
    r"\bcrypto\w*",
    r"\+\d{2}\s?\d",
    r"\b(?:100|200|300|500|1000)\s?%",
    r"\bwin\s+an?\b",
    r"#\w{3,}",
    r"\blink\s+in\s+(?:my\s+)?bio\b",
]


def vocabulary(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct keywords: lexicon words first, then made-up brand and product names."""
    words: list[str] = []
    for name in ("fr/insults.txt", "en/insults.txt", "fr/abuse.txt", "en/abuse.txt", "fr/swearing.txt"):
        words += [term for term, _ in entries(name)]
    words += [term for term, _ in weighted("fr/spam.txt") + weighted("en/spam.txt")]
    words = list(dict.fromkeys(w for w in words if len(w) >= 3))
    rng.shuffle(words)
    syllables = ["ka", "lo", "mi", "ter", "zu", "pra", "vel", "do", "ri", "san", "que", "bo", "nex", "fi"]
    while len(words) < count:
        made = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if made not in words:
            words.append(made)
    return words[:count]


def build_rules(words: list[str]) -> list[Rule]:
    rules = []
    for i in range(20):
        terms = words[i * 50 : (i + 1) * 50]
        when = Condition.any_of(Condition.keywords(*terms), Condition.regex(REGEXES[i]))
        rules.append(Rule(f"rule {i + 1}", when, (Action("queue"), Action("tag", f"t{i}"))))
    return rules


def build_items(n: int, words: list[str], rng: random.Random) -> list[str]:
    """Everyday traffic: the civil comments of the evaluation set (praise, criticism,
    questions), mixed, with a keyword slipped into one item in ten."""
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = [r["text"] for r in rows if r["category"] in ("friendly", "critical", "neutral", "tricky")]
    items = []
    for _ in range(n):
        text = rng.choice(base)
        if rng.random() < 0.3:
            text = text + " " + rng.choice(base)
        if rng.random() < 0.1:
            parts = text.split()
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(words))
            text = " ".join(parts)
        items.append(text)
    return items


def naive(rules_words: list[list[str]], patterns: list[re.Pattern], texts: list[str]) -> int:
    matched = 0
    for text in texts:
        low = text.lower()
        for words, pattern in zip(rules_words, patterns, strict=True):
            if any(w in low for w in words) or pattern.search(text):
                matched += 1
                break
    return matched


def _load() -> str:
    """The machine's load average: other work on the two cores slows the wall-clock figures."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    parser.add_argument("--words", metavar="PATH", help="read the 1,000 keywords from this file")
    parser.add_argument("--save-words", metavar="PATH", help="write this run's keywords to this file")
    parser.add_argument("--repeat", type=int, default=1, help="time each method this many times (median)")
    parser.add_argument("--chunk", type=int, default=5000, help="items per turn when the methods alternate")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    words = vocabulary(1000, rng)
    if args.words:
        words = [w for w in Path(args.words).read_text(encoding="utf-8").splitlines() if w.strip()][:1000]
    if args.save_words:
        Path(args.save_words).write_text("\n".join(words) + "\n", encoding="utf-8")
    rules = build_rules(words)
    texts = build_items(args.items, words, rng)
    facts = [ItemFacts(text=t) for t in texts]

    started = time.perf_counter()
    ruleset = RuleSet.compile(rules)
    compile_s = time.perf_counter() - started

    rules_words = [[w.lower() for w in words[i * 50 : (i + 1) * 50]] for i in range(20)]
    patterns = [re.compile(p, re.IGNORECASE) for p in REGEXES]
    ruleset.evaluate(facts[0])  # warm the lazily filled character tables

    methods = [
        ("naive per-keyword `in` loop + re (baseline)", lambda part: naive(rules_words, patterns, part[0])),
        ("RuleSet.matches_any (first match)", lambda part: sum(1 for f in part[1] if ruleset.matches_any(f))),
        (
            "RuleSet.evaluate (first match + all terms, spans)",
            lambda part: sum(1 for f in part[1] if ruleset.evaluate(f) is not None),
        ),
    ]
    n = len(texts)
    # The methods take turns on slices of the items, so that a change of load on the shared
    # machine weighs on all of them alike (the ratios are then steadier than the absolutes).
    step = max(1, args.chunk)
    parts = [(texts[i : i + step], facts[i : i + step]) for i in range(0, n, step)]
    totals = {name: ([], [], 0) for name, _ in methods}
    for _ in range(max(1, args.repeat)):
        run_wall = {name: 0.0 for name, _ in methods}
        run_cpu = {name: 0.0 for name, _ in methods}
        matched = {name: 0 for name, _ in methods}
        for part in parts:
            for name, run in methods:
                wall, cpu = time.perf_counter(), time.process_time()
                matched[name] += run(part)
                run_wall[name] += time.perf_counter() - wall
                run_cpu[name] += time.process_time() - cpu
        for name, _ in methods:
            walls, cpus, _ = totals[name]
            totals[name] = ([*walls, run_wall[name]], [*cpus, run_cpu[name]], matched[name])
    # Median over the repeats of each method's total.
    rows = [
        (name, statistics.median(totals[name][0]), statistics.median(totals[name][1]), totals[name][2])
        for name, _ in methods
    ]
    base_wall, base_cpu = rows[0][1], rows[0][2]
    full = rows[2][3]
    print(f"{n} items, 20 rules, 1000 keywords, 20 regexes; compile {compile_s * 1000:.0f} ms; {full / n:.0%} matched")
    print(f"python {platform.python_version()} on {platform.machine()}, load average {_load()}")
    print(f"{'method':52} {'wall s':>7} {'items/s':>9} {'ratio':>6} {'cpu s':>7} {'items/cpu-s':>11} {'ratio':>6}")
    report = {"items": n, "rules": 20, "keywords": 1000, "regexes": 20, "compile_seconds": compile_s, "rows": []}
    for name, wall, cpu, matched in rows:
        print(
            f"{name:52} {wall:7.2f} {n / wall:9,.0f} {base_wall / wall:5.1f}x {cpu:7.2f} {n / cpu:11,.0f} "
            f"{base_cpu / cpu:5.1f}x"
        )
        report["rows"].append(
            {
                "method": name,
                "wall_seconds": wall,
                "items_per_second": n / wall,
                "ratio": base_wall / wall,
                "cpu_seconds": cpu,
                "items_per_cpu_second": n / cpu,
                "cpu_ratio": base_cpu / cpu,
                "matched": matched,
            }
        )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
