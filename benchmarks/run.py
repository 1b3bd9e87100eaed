"""Scale benchmark: a million-item history, every figure measured beside raw SQLite in the same run.

    python benchmarks/run.py                           # N = 1,000,000 (builds /tmp/cmdesk-bench-1000000)
    python benchmarks/run.py --items 200000            # smaller
    python benchmarks/run.py --db /tmp/bench --json out.json --repeat 3

The history (benchmarks/history.py) is written through ``Store.ingest`` — the path sync uses —
and, batch by batch in the same run, by a plain sqlite3 importer into a copy of the same schema
(same columns, indexes, FTS5 table and triggers, same pragmas) with ids assigned in Python:
the least work that reaches the same rows. The built profile is kept (``--db``) and reused by
later runs while it holds the same N and seed; its ingest figures are kept beside it
(``bench-build.json``); ``--rebuild`` measures them again.

Then, on that database: inbox pages (Unanswered of the largest account, first and 1,000th page),
a filtered page (status + tag + date range), searches, sidebar badges — each through the Store's
public calls and, as its baseline, through plain sqlite3 running hand-written SQL for the same
question — and the GUI in a subprocess (start-up to first painted page, memory and fetchMore
times after scrolling 10,000 rows) beside a bare QTableView over plain sqlite3. Query and GUI
measurements are repeated (``--repeat``) and the table shows the median with the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.history import END, History, raw_item_row  # noqa: E402
from cmdesk.core.models import Platform, Status, View, to_millis, utcnow  # noqa: E402
from cmdesk.core.query import InboxQuery  # noqa: E402
from cmdesk.core.text import clean_text  # noqa: E402
from cmdesk.store.engine import PRAGMAS  # noqa: E402
from cmdesk.store.migrate import HEAD  # noqa: E402
from cmdesk.store.store import Store  # noqa: E402

FLOOR_TOOL = Path("/work/shared/tools/sqlite_floor.py")
BUILD_FILE = "bench-build.json"
PAGE = 50
DEEP_PAGE = 1000

TARGETS = {  # figure: (limit, "min" = at least / "max" = at most)
    "ingest_ratio": (0.5, "min"),
    "ingest_ratio_multirow": (0.5, "min"),
    "inbox_first_page_ms_p95": (20, "max"),
    "inbox_deep_page_ms_p95": (20, "max"),
    "filter_page_ms_p95": (30, "max"),
    "search_ms_p95": (50, "max"),
    "count_badges_ms": (100, "max"),
    "startup_to_window_ms": (1500, "max"),
    "gui_rss_mb": (300, "max"),
    "scroll_fetch_ms_p95": (30, "max"),
}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18] if len(samples) > 1 else samples[0]


def timed(fn, runs: int) -> list[float]:
    """Milliseconds of ``runs`` calls of ``fn`` (after three untimed warm-up calls)."""
    for _ in range(3):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def raw_connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the store's pragmas (WAL, foreign keys, cache, mmap)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


# ---- building the history ----------------------------------------------------------------------


class RawImporter:
    """The baseline importer: plain executemany into the same schema, ids assigned in Python."""

    def __init__(self, path: Path, schema_from: Path, account_rows: list[tuple], *, rows_per_statement: int = 1):
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        source = sqlite3.connect(schema_from)
        ddl = [
            sql
            for name, kind, sql in source.execute("SELECT name, type, sql FROM sqlite_master ORDER BY rowid")
            if sql and not name.startswith("sqlite_") and not (kind == "table" and name.startswith("item_fts_"))
        ]
        source.close()
        self.path = path
        self.rows_per_statement = rows_per_statement  # 1: executemany; more: multi-row VALUES, as the store does
        self.conn = raw_connect(path)
        for statement in ddl:
            self.conn.execute(statement)
        self.conn.executemany("INSERT INTO account(id, uid, platform, name, handle, created_at) VALUES (?,?,?,?,?,?)",
                              account_rows)  # fmt: skip
        self.conn.executemany("INSERT INTO sync_state(account_id) VALUES (?)", [(r[0],) for r in account_rows])
        self.authors: dict[tuple[int, str], int] = {}
        self.threads: dict[tuple[int, str], int] = {}
        self.tags: dict[str, int] = {}
        self.next_item = 1

    def prepare(self, account_id: int, batch, now: int, cursor: str) -> tuple:
        """The statements' rows for one batch (not timed: a raw importer would have them at hand)."""
        authors, threads, items, tag_rows, new_tags = [], [], [], [], []
        for e in batch.items:
            key = (account_id, e.author.platform_author_id)
            author_id = self.authors.get(key)
            if author_id is None:
                author_id = self.authors[key] = len(self.authors) + 1
                a = e.author
                authors.append((author_id, account_id, a.platform_author_id, a.display_name, a.handle, a.url, now))
            thread_id = None
            if e.thread_platform_id:
                tkey = (account_id, e.thread_platform_id)
                thread_id = self.threads.get(tkey)
                if thread_id is None:
                    thread_id = self.threads[tkey] = len(self.threads) + 1
                    threads.append((thread_id, account_id, e.thread_platform_id, clean_text(e.thread_title)[:500]))
            verdict = batch.judge(e)
            item_id = self.next_item
            self.next_item += 1
            row = raw_item_row(item_id, account_id, e, author_id, thread_id, now, verdict)
            items.append(row)
            for name in verdict.tags if verdict else ():
                tag_id = self.tags.get(name)
                if tag_id is None:
                    tag_id = self.tags[name] = len(self.tags) + 1
                    new_tags.append((tag_id, name))
                tag_rows.append((item_id, tag_id, row[15]))
        return authors, threads, items, new_tags, tag_rows, (cursor, len(items), account_id)

    def write(self, prepared: tuple) -> None:
        authors, threads, items, new_tags, tag_rows, state = prepared
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        c.executemany("INSERT INTO author(id, account_id, platform_author_id, display_name, handle, url, "
                      "first_seen_at) VALUES (?,?,?,?,?,?,?)", authors)  # fmt: skip
        c.executemany("INSERT INTO thread(id, account_id, platform_thread_id, title) VALUES (?,?,?,?)", threads)
        insert = (
            "INSERT INTO item(id, account_id, platform_item_id, thread_id, parent_platform_id, author_id, author_name,"
            " author_handle, kind, status, moderation, queue, priority, severity, is_own, created_at, fetched_at,"
            " text, lang, url, original, ref, flag_reason, flag_terms, flag_rule) VALUES "
        )
        one = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        if self.rows_per_statement == 1:
            c.executemany(insert + one, items)
        else:
            for start in range(0, len(items), self.rows_per_statement):
                chunk = items[start : start + self.rows_per_statement]
                c.execute(insert + ",".join([one] * len(chunk)), [v for row in chunk for v in row])
        c.executemany("INSERT INTO tag(id, name) VALUES (?, ?)", new_tags)
        c.executemany("INSERT INTO item_tag(item_id, tag_id, created_at) VALUES (?,?,?)", tag_rows)
        c.execute("UPDATE sync_state SET cursor = ?, items_synced = items_synced + ? WHERE account_id = ?", state)
        c.execute("COMMIT")

    def close(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()


def run_floor(items: int) -> dict:
    """The shared floor tool's figures (minimal schema, raw sqlite3), or why there are none."""
    if not FLOOR_TOOL.exists():
        return {"error": f"{FLOOR_TOOL} not found"}
    done = subprocess.run([sys.executable, str(FLOOR_TOOL), str(items)], capture_output=True, text=True, cwd="/tmp")
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not line.startswith("N="):
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    figures = {k: v for k, v in re.findall(r"(\w+)=([\d,.]+)", line)}
    return {
        "items": items,
        "ingest_items_per_s": float(figures["ingest"].replace(",", "")),
        "first_page_ms_p95": float(figures["first_page_p95"]),
        "deep_page_ms_p95": float(figures["deep_page_p95"]),
        "search_rank_ms_p95": float(figures["search_rank_p95"]),
        "search_recent_ms_p95": float(figures["search_recent_p95"]),
        "badges_scan_ms": float(figures["badges_scan"]),
        "db_bytes_per_item": float(figures["db"]),
        "line": line,
    }


def build(root: Path, history: History, floor_items: int | None) -> dict:
    """Write the history through Store.ingest and, interleaved, through the raw importer."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, mode=0o700)
    store = Store(root / "cmdesk.db")
    account_ids = [
        store.add_account(Platform(a.platform), a.name, handle=a.handle, base_url=a.base_url).id
        for a in history.accounts
    ]
    with store.read() as conn:
        account_rows = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT id, uid, platform, name, handle, created_at FROM account ORDER BY id")]  # fmt: skip
    # Two raw importers: executemany (one statement per row) and multi-row VALUES (the store's
    # statement shape, which spares FTS5 a flush per row). Batch by batch, interleaved with the
    # store, so the machine's load falls on all three alike.
    raws = {
        shape: RawImporter(root.parent / f"{root.name}-{shape}.db", store.path, account_rows, rows_per_statement=k)
        for shape, k in (("raw", 1), ("raw_multirow", 100))
    }
    seconds = dict.fromkeys(("store", *raws), 0.0)
    done = batches = 0
    started = time.perf_counter()
    for n, batch in enumerate(history.batches()):
        account_id = account_ids[batch.account]
        cursor = f"cursor-{n}"
        t = time.perf_counter()
        store.ingest(account_id, batch.items, cursor=cursor, judge=batch.judge)
        seconds["store"] += time.perf_counter() - t
        for shape, raw in raws.items():
            prepared = raw.prepare(account_id, batch, to_millis(utcnow()), cursor)
            t = time.perf_counter()
            raw.write(prepared)
            seconds[shape] += time.perf_counter() - t
        done += len(batch.items)
        batches += 1
        if done // 50_000 != (done - len(batch.items)) // 50_000:
            rates = "  ".join(f"{shape} {done / s:>7,.0f}/s" for shape, s in seconds.items())
            print(f"  {done:>9,} items  {rates}  ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    raw_bytes = {}
    for shape, raw in raws.items():
        raw.close()
        raw_bytes[shape] = raw.path.stat().st_size
        raw.path.unlink()
    with store.read() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.engine.dispose()  # not close(): PRAGMA optimize would analyse, and the raw copies were not
    info = {
        "items": history.n,
        "seed": history.seed,
        "batch": history.batch,
        "batches": batches,
        "revision": HEAD,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "ingest_items_per_s": history.n / seconds["store"],
        "ingest_raw_items_per_s": history.n / seconds["raw"],
        "ingest_ratio": seconds["raw"] / seconds["store"],
        "ingest_raw_multirow_items_per_s": history.n / seconds["raw_multirow"],
        "ingest_ratio_multirow": seconds["raw_multirow"] / seconds["store"],
        "raw_db_bytes_per_item": raw_bytes["raw"] / history.n,
        "floor": run_floor(floor_items) if floor_items else {"error": "not run (N < 1,000,000; see --floor-items)"},
    }
    (root / BUILD_FILE).write_text(json.dumps(info, indent=2))
    return info


def ensure_history(root: Path, args) -> dict:
    info_path = root / BUILD_FILE
    if info_path.exists() and not args.rebuild:
        info = json.loads(info_path.read_text())
        if info.get("items") == args.items and info.get("seed") == args.seed and info.get("batch") == args.batch:
            print(f"reusing {root} (built {info['built_at']} at revision {info['revision']})", file=sys.stderr)
            return info
    print(f"building {args.items:,} items in {root} …", file=sys.stderr)
    floor_items = args.floor_items if args.floor_items is not None else (args.items if args.items >= 1_000_000 else 0)
    history = History(args.items, seed=args.seed, batch=args.batch)
    return build(root, history, floor_items)


# ---- queries -------------------------------------------------------------------------------------

_ROW = ("id", "account_id", "created_at", "kind", "status", "moderation", "queue", "author_name", "author_handle",
        "substr({t}text, 1, 240)", "{t}flag_reason", "{t}is_own")  # fmt: skip
ROW_SQL = ", ".join(c.format(t="") for c in _ROW)
ITEM_ROW_SQL = ", ".join(c.format(t="item.") if "{" in c else "item." + c for c in _ROW)


def unanswered_sql(account: bool, keyset: bool) -> str:
    """Hand-written SQL for the Unanswered view: one newest-first list per status, merged."""
    terms = "is_own = 0" + (" AND account_id = :account" if account else "")
    terms += " AND (created_at, id) < (:at, :id)" if keyset else ""
    branch = f"SELECT {ROW_SQL} FROM item WHERE status = {{s}} AND {terms} ORDER BY created_at DESC, id DESC LIMIT 50"
    return (f"SELECT * FROM ({branch.format(s=0)}) UNION ALL SELECT * FROM ({branch.format(s=1)}) "
            "ORDER BY created_at DESC, id DESC LIMIT 50")  # fmt: skip


FILTER_SQL = f"""
SELECT {ITEM_ROW_SQL}
FROM item_tag JOIN item ON item.id = item_tag.item_id
WHERE item_tag.tag_id = (SELECT id FROM tag WHERE name = :tag)
  AND item_tag.created_at >= :since AND item_tag.created_at < :until
  AND item.status = :status AND item.is_own = 0
ORDER BY item_tag.created_at DESC, item_tag.item_id DESC LIMIT 50
"""  # fmt: skip

SEARCH_SQL = f"""
SELECT {ITEM_ROW_SQL}
FROM item_fts JOIN item ON item.id = item_fts.rowid
WHERE item_fts MATCH :match AND item.status != 4
ORDER BY item.created_at DESC, item.id DESC LIMIT 50
"""  # fmt: skip

# Single words (common to rare), a phrase, a prefix and accent-folded spellings (the index folds).
SEARCHES = (
    ("word, common", "merci", '"merci"'),
    ("word", "remboursement", '"remboursement"'),
    ("word, rare", "quetsche", '"quetsche"'),
    ("phrase", '"pas reçu"', '"pas reçu"'),
    ("phrase", '"order #"', '"order"'),
    ("prefix", "rembours*", '"rembours"*'),
    ("prefix", "croiss*", '"croiss"*'),
    ("accent-folded", "decu", '"decu"'),
    ("accent-folded", "allergenes", '"allergenes"'),
)


def measure_queries(store: Store, db: Path, account_id: int, runs: int) -> dict:
    """p95 of each query through the Store and through plain sqlite3, on the same file."""
    raw = raw_connect(db)
    out: dict = {}
    first_q = InboxQuery(view=View.UNANSWERED, account_id=account_id)
    first_raw = unanswered_sql(True, False)
    out["inbox_first_page"] = (
        timed(lambda: store.page(first_q, None, PAGE), runs),
        timed(lambda: raw.execute(first_raw, {"account": account_id}).fetchall(), runs),
    )
    deep = raw.execute(unanswered_sql(True, False).replace("LIMIT 50", f"LIMIT {PAGE * DEEP_PAGE}"),
                       {"account": account_id}).fetchall()  # fmt: skip
    page_no = min(DEEP_PAGE, len(deep) // PAGE)  # page 1,000 at N = 1,000,000; the last full one below
    out["deep_page_number"] = page_no
    last = deep[PAGE * (page_no - 1) - 1]
    after = (last[2], last[0])
    got = store.page(first_q, after, PAGE)
    assert [r.id for r in got] == [r[0] for r in deep[PAGE * (page_no - 1) : PAGE * page_no]], "store and raw disagree"
    deep_raw = unanswered_sql(True, True)
    params = {"account": account_id, "at": after[0], "id": after[1]}
    out["inbox_deep_page"] = (
        timed(lambda: store.page(first_q, after, PAGE), runs),
        timed(lambda: raw.execute(deep_raw, params).fetchall(), runs),
    )
    end = END
    combos = [
        (tag, status, since, until)
        for tag in ("livraison", "remboursement", "urgent")
        for status, since, until in (
            (Status.NEW, end - timedelta(days=90), end - timedelta(days=30)),
            (Status.DONE, end - timedelta(days=300), end - timedelta(days=200)),
        )
    ]
    queries = [InboxQuery(statuses=(s,), tag=t, since=a, until=b) for t, s, a, b in combos]
    raw_params = [{"tag": t, "status": int(s), "since": to_millis(a), "until": to_millis(b)} for t, s, a, b in combos]
    for q, p in zip(queries, raw_params, strict=True):
        mine = [r.id for r in store.page(q, None, PAGE)]
        theirs = [r[0] for r in raw.execute(FILTER_SQL, p).fetchall()]
        assert mine == theirs, f"filtered page differs for {p}"
    cycle = {"n": 0}

    def next_of(values):
        cycle["n"] += 1
        return values[cycle["n"] % len(values)]

    out["filter_page"] = (
        timed(lambda: store.page(next_of(queries), None, PAGE), runs),
        timed(lambda: raw.execute(FILTER_SQL, next_of(raw_params)).fetchall(), runs),
    )
    hits = {}
    search_queries = [InboxQuery(search=text) for _label, text, _m in SEARCHES]
    for (label, text, match), q in zip(SEARCHES, search_queries, strict=True):
        mine = [r.id for r in store.page(q, None, PAGE)]
        theirs = [r[0] for r in raw.execute(SEARCH_SQL, {"match": match}).fetchall()]
        assert mine == theirs, f"search {text!r} differs"
        total = raw.execute("SELECT count(*) FROM item_fts WHERE item_fts MATCH ?", (match,)).fetchone()[0]
        hits[f"{label}: {text}"] = total
    per_query = {}
    for (label, text, match), q in zip(SEARCHES, search_queries, strict=True):
        per_query[f"{label}: {text}"] = (
            p95(timed(lambda q=q: store.page(q, None, PAGE), max(20, runs // 10))),
            p95(timed(lambda m=match: raw.execute(SEARCH_SQL, {"match": m}).fetchall(), max(20, runs // 10))),
        )
    matches = [{"match": m} for _l, _t, m in SEARCHES]
    out["search"] = (
        timed(lambda: store.page(next_of(search_queries), None, PAGE), runs),
        timed(lambda: raw.execute(SEARCH_SQL, next_of(matches)).fetchall(), runs),
    )
    out["search_detail"] = {"hits": hits, "p95_ms_store_raw": per_query}
    out["badges"] = (
        timed(store.counts, 50),
        timed(lambda: raw.execute("SELECT account_id, kind, status, queue, n FROM view_count WHERE n > 0").fetchall(),
              50),
    )  # fmt: skip
    naive = timed(lambda: raw.execute(
        "SELECT account_id, kind, status, queue, count(*) FROM item GROUP BY 1, 2, 3, 4").fetchall(), 3)  # fmt: skip
    out["badges_naive_count_ms"] = statistics.median(naive)
    raw.close()
    return out


# ---- GUI -----------------------------------------------------------------------------------------


def probe(code: str, scroll_rows: int) -> dict:
    """Run a GUI probe in a fresh interpreter (offscreen); times are measured from before launch."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    started = time.time()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=600)  # fmt: skip
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("PROBE ")]
    if not lines:
        raise RuntimeError(f"GUI probe failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    result = json.loads(lines[-1][6:])
    result["startup_ms"] = (result["painted_at"] - started) * 1000
    return result


def measure_gui(root: Path, scroll_rows: int) -> dict:
    app = probe(f"from benchmarks.gui_probe import app_probe; app_probe({str(root)!r}, {scroll_rows})", scroll_rows)
    raw = probe(f"from benchmarks.gui_probe import raw_probe; raw_probe({str(root / 'cmdesk.db')!r}, {scroll_rows})",
                scroll_rows)  # fmt: skip
    return {"app": app, "raw": raw}


# ---- report --------------------------------------------------------------------------------------


def spread(values: list[float]) -> tuple[float, float, float]:
    return min(values), statistics.median(values), max(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000, help="history size N (default 1,000,000)")
    parser.add_argument("--db", type=Path, help="profile folder holding the benchmark's cmdesk.db (built once, "
                        "then reused); default /tmp/cmdesk-bench-N")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--rebuild", action="store_true", help="build the history again (re-measures ingest)")
    parser.add_argument("--runs", type=int, default=200, help="timed runs per query (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="repeat query and GUI measurements (default 3)")
    parser.add_argument("--batch", type=int, default=1000, help="largest ingest batch (default 1000)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--scroll-rows", type=int, default=10_000)
    parser.add_argument("--no-gui", action="store_true", help="skip the GUI measurements")
    parser.add_argument("--floor-items", type=int, help="run the shared floor tool at this N when building "
                        "(default: N when N >= 1,000,000, else not run)")  # fmt: skip
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = (args.db or Path(f"/tmp/cmdesk-bench-{args.items}")).resolve()
    if root.name == "cmdesk.db":
        root = root.parent
    load_before = os.getloadavg()
    info = ensure_history(root, args)

    store = Store(root / "cmdesk.db")  # upgrades an older benchmark database (that is measured nowhere)
    accounts = {a.name: a.id for a in store.accounts()}
    largest = accounts[History(1, seed=args.seed).accounts[0].name]
    repeats = []
    for n in range(args.repeat):
        print(f"measuring queries ({n + 1}/{args.repeat}) …", file=sys.stderr)
        queries = measure_queries(store, root / "cmdesk.db", largest, args.runs)
        gui = None
        if not args.no_gui:
            print(f"measuring the GUI ({n + 1}/{args.repeat}) …", file=sys.stderr)
            gui = measure_gui(root, args.scroll_rows)
        repeats.append((queries, gui))
    store.engine.dispose()
    db_bytes = (root / "cmdesk.db").stat().st_size
    rows = collect(repeats, info, db_bytes, args.items)
    print_table(rows, info, args, load_before, root, repeats)
    if args.json:
        figures = {key: value["value"] for key, value in rows.items()}
        figures.update({f"{key}_raw": value["raw"] for key, value in rows.items() if value["raw"] is not None})
        figures["detail"] = {
            "items": args.items,
            "spread_min_median_max": {k: v["spread"] for k, v in rows.items() if v.get("spread")},
            "search": repeats[-1][0]["search_detail"],
            "badges_naive_count_ms": repeats[-1][0]["badges_naive_count_ms"],
            "deep_page_number": repeats[-1][0]["deep_page_number"],
            "gui": [
                {side: {k: v for k, v in g[side].items() if k not in ("fetch_ms", "painted_at")} for side in g}
                for _, g in repeats
                if g
            ],
            "floor": info.get("floor"),
            "build": {k: v for k, v in info.items() if k != "floor"},
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "sqlite": sqlite3.sqlite_version, "loadavg_before": load_before},
        }  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


def collect(repeats, info: dict, db_bytes: int, items: int) -> dict:
    """One row per figure: the median over repeats (and its spread) with its raw baseline and ratio."""
    rows: dict[str, dict] = {}

    def add(key, values, raw_values, unit, ratio_of=None):
        value = statistics.median(values)
        raw = statistics.median(raw_values) if raw_values else None
        ratio = ratio_of if ratio_of is not None else (value / raw if raw else None)
        rows[key] = {"value": value, "raw": raw, "ratio": ratio, "unit": unit,
                     "spread": spread(values) if len(values) > 1 else None}  # fmt: skip

    rows["ingest_items_per_s"] = {"value": info["ingest_items_per_s"], "raw": info["ingest_raw_items_per_s"],
                                  "ratio": info["ingest_ratio"], "unit": "items/s", "spread": None}  # fmt: skip
    rows["ingest_ratio"] = {"value": info["ingest_ratio"], "raw": None, "ratio": None, "unit": "", "spread": None}
    if "ingest_raw_multirow_items_per_s" in info:  # the baseline with the store's statement shape
        rows["ingest_multirow_items_per_s"] = {"value": info["ingest_items_per_s"],
                                               "raw": info["ingest_raw_multirow_items_per_s"],
                                               "ratio": info["ingest_ratio_multirow"], "unit": "items/s",
                                               "spread": None}  # fmt: skip
        rows["ingest_ratio_multirow"] = {"value": info["ingest_ratio_multirow"], "raw": None, "ratio": None,
                                         "unit": "", "spread": None}  # fmt: skip
    for key, name in (
        ("inbox_first_page_ms_p95", "inbox_first_page"),
        ("inbox_deep_page_ms_p95", "inbox_deep_page"),
        ("filter_page_ms_p95", "filter_page"),
        ("search_ms_p95", "search"),
        ("count_badges_ms", "badges"),
    ):
        add(key, [p95(q[name][0]) for q, _ in repeats], [p95(q[name][1]) for q, _ in repeats], "ms")
    guis = [g for _, g in repeats if g]
    if guis:
        add("startup_to_window_ms", [g["app"]["startup_ms"] for g in guis], [g["raw"]["startup_ms"] for g in guis],
            "ms")  # fmt: skip
        add("gui_rss_mb", [g["app"]["rss_mb"] for g in guis], [g["raw"]["rss_mb"] for g in guis], "MB")
        add("scroll_fetch_ms_p95", [p95(g["app"]["fetch_ms"]) for g in guis],
            [p95(g["raw"]["fetch_ms"]) for g in guis], "ms")  # fmt: skip
    rows["db_bytes_per_item"] = {"value": db_bytes / items, "raw": info["raw_db_bytes_per_item"],
                                 "ratio": db_bytes / items / info["raw_db_bytes_per_item"], "unit": "B",
                                 "spread": None}  # fmt: skip
    return rows


def _fmt(value, unit="") -> str:
    if value is None:
        return "—"
    if unit == "items/s" or value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def print_table(rows: dict, info: dict, args, load_before, root: Path, repeats) -> None:
    print(f"\nCMDesk scale benchmark — N = {args.items:,}, {os.cpu_count()} CPUs, SQLite {sqlite3.sqlite_version}, "
          f"Python {platform.python_version()}, load before {load_before[0]:.1f}; DB {root / 'cmdesk.db'}")  # fmt: skip
    print(
        f"ingest measured at build ({info['built_at']}, revision {info['revision']}, {info['batches']:,} batches "
        f"of ≤ {info['batch']})"
    )
    print(f"queries and GUI: median of {len(repeats)} repeats (each a p95 over {args.runs} runs)\n")
    head = f"{'figure':<28}{'cmdesk':>11}{'raw sqlite3':>13}{'ratio':>8}{'target':>10}  {'ok':<4}{'spread':>17}"
    print(head)
    print("-" * len(head))
    for key, row in rows.items():
        target = TARGETS.get(key)
        ok = ""
        if target:
            limit, sense = target
            ok = "yes" if (row["value"] >= limit if sense == "min" else row["value"] <= limit) else "NO"
        tgt = f"{'≥' if target and target[1] == 'min' else '≤'} {target[0]:g}" if target else ""
        spread_text = f"{_fmt(row['spread'][0])}–{_fmt(row['spread'][2])}" if row.get("spread") else ""
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else ""
        print(f"{key:<28}{_fmt(row['value'], row['unit']):>11}{_fmt(row['raw'], row['unit']):>13}{ratio:>8}"
              f"{tgt:>10}  {ok:<4}{spread_text:>17}")  # fmt: skip
    floor = info.get("floor") or {}
    if "line" in floor:
        print(f"\nfloor tool (minimal schema, no FTS while inserting): {floor['line']}")
    else:
        print(f"\nfloor tool: {floor.get('error', 'not run')}")
    detail = repeats[-1][0]["search_detail"]
    print("\nsearch, p95 ms (cmdesk / raw) and hits:")
    for name, (mine, theirs) in detail["p95_ms_store_raw"].items():
        print(f"  {name:<32}{mine:>8.2f}{theirs:>8.2f}{detail['hits'][name]:>10,}")
    print(f"badges counted from the items instead (no counters): {repeats[-1][0]['badges_naive_count_ms']:.0f} ms")
    guis = [g for _, g in repeats if g]
    if guis:
        cpu = {side: statistics.median(g[side]["startup_cpu_ms"] for g in guis) for side in ("app", "raw")}
        print(f"start-up CPU time (user + system, less sensitive to the machine's load): cmdesk {cpu['app']:,.0f} ms, "
              f"raw {cpu['raw']:,.0f} ms; rows loaded by the scroll: {guis[-1]['app']['rows']:,}")  # fmt: skip
    print(f"deep page: page {repeats[-1][0]['deep_page_number']:,} of the largest account's Unanswered view")
    print("ratio: cmdesk / raw for times and sizes (lower is better); for ingest, cmdesk rate / raw rate")


if __name__ == "__main__":
    sys.exit(main())
