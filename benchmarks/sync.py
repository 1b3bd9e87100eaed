"""Sync benchmark: does the UI's event loop stay responsive while accounts sync, do accounts sync
in parallel, and how fast does the sync path store items compared with a bulk upsert?

    .venv/bin/python benchmarks/sync.py [--accounts 5] [--items 10000] [--latency 0.05] [--json PATH]

Simulators run in a separate process (benchmarks/sim_farm.py) on 127.0.0.1 with the given
latency per request. The app side runs as in the desktop app: an offscreen QApplication, the
qasync loop, the main window listening to the sync service.

Figures (JSON keys):
- max_loop_lag_ms: the worst lateness of a 10 ms timer on the UI loop during the parallel sync;
- parallel_ratio: time to sync every account at once / time of the slowest account alone;
- ingest_vs_bulk_ratio: items/s through the whole sync path (HTTP, parsing, rules, store), with
  no added latency, / items/s of Store.ingest given the same items in batches of 1,000.

More figures say where the difference comes from (same run, same items):
- ingest_vs_bulk_same_rules_ratio: the same sync path / Store.ingest judging with the same rules
  (the starter rules, classifiers in the scoring process): the sync engine's cost, like for like;
- ingest_vs_bulk_no_rules_ratio: the sync path with every rule switched off / the bare Store.ingest;
- cpu_us_per_item_*: CPU time per item of the app's process and of its child processes (the
  simulators, the scoring worker), rules on and off; p99_loop_lag_ms and loop_lags_over_30_ms
  describe the lag beyond its maximum.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cmdesk.connectors.http import HttpClient  # noqa: E402
from cmdesk.connectors.mastodon import MastodonConnector  # noqa: E402
from cmdesk.core.models import Platform  # noqa: E402
from cmdesk.secrets import MemoryVault  # noqa: E402
from cmdesk.services.sync import sync_once  # noqa: E402


class Farm:
    """The simulators: one process each, so that no simulator waits for another's Python."""

    def __init__(self, accounts: int, latency: float):
        self.processes = [
            subprocess.Popen(
                [sys.executable, str(ROOT / "benchmarks" / "sim_farm.py"), "1", str(latency)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=dict(os.environ, PYTHONPATH=str(ROOT)),
            )
            for _ in range(accounts)
        ]
        self.accounts = [json.loads(p.stdout.readline())["accounts"][0] for p in self.processes]

    def seed(self, items: int) -> None:
        for process in self.processes:
            process.stdin.write(f"seed {items}\n")
            process.stdin.flush()
        for process in self.processes:
            assert process.stdout.readline().strip() == "ok"

    def close(self) -> None:
        for process in self.processes:
            process.stdin.write("quit\n")
            process.stdin.close()
        for process in self.processes:
            process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process, from /proc (Linux; 0.0 where it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (the simulators, the scoring worker)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


class CpuMeter:
    """CPU seconds spent between start() and stop() by this process and by each child process."""

    def start(self) -> None:
        self.app = time.process_time()
        self.others = {pid: cpu_seconds(pid) for pid in children(os.getpid())}

    def stop(self) -> dict:
        app = time.process_time() - self.app
        others = {pid: cpu_seconds(pid) - self.others.get(pid, 0.0) for pid in children(os.getpid())}
        return {"cpu_app_s": app, "cpu_children_s": sum(others.values())}


def open_profile(farm: Farm, root: Path):
    from cmdesk.services.workspace import open_workspace

    workspace = open_workspace(root, lock=True)
    ids = []
    for n, spec in enumerate(farm.accounts):
        account = workspace.store.add_account(
            Platform.MASTODON, f"Brand {n}", handle=spec["handle"], base_url=spec["base_url"], settings=spec["settings"]
        )
        ids.append(account.id)
    tokens = {account_id: spec["token"] for account_id, spec in zip(ids, farm.accounts, strict=True)}

    def make_connector(account):
        return MastodonConnector(
            account, MemoryVault({"access_token": tokens[account.id]}), HttpClient(label=account.name)
        )

    return workspace, ids, make_connector


def first_sync(workspace, ids, make_connector) -> None:
    """Every account's first (empty) sync, so the seeded items arrive as a catch-up, not as a bounded backlog."""

    async def run():
        for account_id in ids:
            await sync_once(workspace.store, make_connector(workspace.store.account(account_id)), account_id)

    asyncio.run(run())


def switch_rules_off(services) -> None:
    from dataclasses import replace

    services.moderation.save_rules([replace(rule, enabled=False) for rule in services.moderation.rules()])


def timed_sync_in_window(
    accounts: int, items: int, latency: float, tmp: Path, *, window: bool = True, rules: bool = True
) -> dict:
    """Sync ``accounts`` × ``items`` on the qasync loop with the window open; lag and duration."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from cmdesk.app import close_event_loop
    from cmdesk.core.memory import settle_startup_objects
    from cmdesk.gui.main_window import MainWindow
    from cmdesk.services.runtime import Services
    from cmdesk.services.scoring import MIN_BATCH

    farm = Farm(accounts, latency)
    try:
        workspace, ids, make_connector = open_profile(farm, tmp)
        first_sync(workspace, ids, make_connector)
        farm.seed(items)
        app = QApplication.instance() or QApplication([])
        services = Services(workspace, make_connector=make_connector)
        services.sync.base_interval = 0.5
        if not rules:
            switch_rules_off(services)
        if services.moderation.scoring is not None:
            # Warm before the clock runs, as the bulk baseline's pool is: in the app the workers
            # start while the window opens (Services starts them), before the first sync.
            services.moderation.scoring.score([("warm up", None, ())] * MIN_BATCH)
        main_window = MainWindow(workspace, services=services) if window else None
        if main_window:
            main_window.resize(1300, 800)
            main_window.show()
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        settle_startup_objects()  # as cmdesk.app does before it starts the services
        target = accounts * items
        lags: list[float] = []
        meter, cpu = CpuMeter(), {}
        # New items are counted as the sync reports them (a query each time would cost the
        # measured loop a read of the database).
        stored = [0]
        report_changes = services.sync.on_changes

        def count_new(changes) -> None:
            stored[0] += len(changes.new)
            report_changes(changes)

        services.sync.on_changes = count_new

        async def monitor(stop: asyncio.Event):
            while not stop.is_set():
                started = loop.time()
                await asyncio.sleep(0.01)
                lags.append(max(0.0, loop.time() - started - 0.01))

        async def scenario():
            stop = asyncio.Event()
            watcher = asyncio.ensure_future(monitor(stop))
            started = time.perf_counter()
            meter.start()
            services.start(loop)
            while stored[0] < target:
                await asyncio.sleep(0.05)
            duration = time.perf_counter() - started
            cpu.update(meter.stop())
            assert workspace.store.item_count() == target, "the sync reported items it did not store"
            stop.set()
            await watcher
            await services.stop()
            return duration

        with loop:
            duration = loop.run_until_complete(scenario())
        close_event_loop(loop)
        if main_window:
            main_window.close()
        workspace.close()
        lags.sort()
        return {
            "seconds": duration,
            "max_lag_ms": lags[-1] * 1000 if lags else 0.0,
            "p99_lag_ms": lags[int(len(lags) * 0.99)] * 1000 if lags else 0.0,
            "lags_over_30_ms": sum(lag > 0.03 for lag in lags),
            "items": target,
            **cpu,
        }
    finally:
        farm.close()


def bulk_rates(items: int, accounts: int, tmp: Path) -> tuple[float, float]:
    """Store.ingest of the very items a sync would fetch (fetched first, into memory), in batches
    of 1,000: items/s bare, and items/s judged by the starter rules as the app judges them."""
    from cmdesk.core.moderation.starter import starter_rules
    from cmdesk.services.moderation import ModerationService
    from cmdesk.services.scoring import MIN_BATCH, ScoringPool
    from cmdesk.store.store import Store

    farm = Farm(accounts, 0.0)
    try:
        workspace, ids, make_connector = open_profile(farm, tmp / "fetch")
        first_sync(workspace, ids, make_connector)
        farm.seed(items)
        batches = {}
        for account_id in ids:
            connector = make_connector(workspace.store.account(account_id))
            cursor, fetched = workspace.store.sync_state(account_id).cursor, []
            while True:
                batch = connector.fetch(cursor)
                fetched += batch.items
                cursor = batch.cursor
                if not batch.more:
                    break
            batches[account_id] = fetched
        workspace.close()
    finally:
        farm.close()
    total = sum(len(v) for v in batches.values())
    rates = []
    for judged in (False, True):
        store = Store(tmp / ("judged" if judged else "bare") / "cmdesk.db")
        accounts_by_id = {
            account_id: store.add_account(Platform.MASTODON, f"Brand {n}") for n, account_id in enumerate(batches)
        }
        moderation = pool = None
        if judged:
            moderation, pool = ModerationService(store), ScoringPool()
            moderation.save_rules(starter_rules())
            moderation.scoring = pool
            pool.start()
            # Started and warm before the clock runs (the sync path pays for its start: this
            # baseline is, if anything, flattered).
            pool.score([("warm up", None, ())] * MIN_BATCH)
        started = time.perf_counter()
        for account_id, fetched in batches.items():
            account = accounts_by_id[account_id]
            judge = moderation.judge_for(account) if moderation else None
            on_new = moderation.on_new if moderation else None
            for start in range(0, len(fetched), 1000):
                store.ingest(account.id, fetched[start : start + 1000], judge=judge, on_new=on_new)
        rates.append(total / (time.perf_counter() - started))
        if pool:
            pool.close()
        store.close()
    return rates[0], rates[1]


def measured_apart(accounts: int, items: int, latency: float, tmp: Path, *, window: bool, rules: bool = True) -> dict:
    """One ``timed_sync_in_window`` in a process of its own, as the app runs: one Qt event loop
    per process (several qasync loops in turn in one process have crashed PySide6)."""
    command = [sys.executable, __file__, "--one", str(tmp), "--accounts", str(accounts), "--items", str(items)]
    command += ["--latency", str(latency)] + (["--window"] if window else []) + ([] if rules else ["--no-rules"])
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument("--one", metavar="DIR", help=argparse.SUPPRESS)  # one measurement (see measured_apart)
    parser.add_argument("--window", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-rules", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = timed_sync_in_window(
            args.accounts, args.items, args.latency, Path(args.one), window=args.window, rules=not args.no_rules
        )
        print(json.dumps(result), flush=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="cmdesk-sync-bench-") as tmp_name:
        tmp = Path(tmp_name)
        print(f"sync benchmark: {args.accounts} accounts × {args.items:,} items, {args.latency * 1000:.0f} ms latency")
        together = measured_apart(args.accounts, args.items, args.latency, tmp / "together", window=True)
        alone = [
            measured_apart(1, args.items, args.latency, tmp / f"alone{n}", window=False) for n in range(args.accounts)
        ]
        slowest = max(a["seconds"] for a in alone)
        fast = measured_apart(args.accounts, args.items, 0.0, tmp / "nolatency", window=False)
        fast_bare = measured_apart(args.accounts, args.items, 0.0, tmp / "norules", window=False, rules=False)
        bulk, bulk_judged = bulk_rates(args.items, args.accounts, tmp / "bulk")
    sync_rate = fast["items"] / fast["seconds"]
    sync_bare_rate = fast_bare["items"] / fast_bare["seconds"]
    figures = {
        "accounts": args.accounts,
        "items_per_account": args.items,
        "latency_ms": args.latency * 1000,
        "parallel_seconds": round(together["seconds"], 2),
        "slowest_alone_seconds": round(slowest, 2),
        "max_loop_lag_ms": round(together["max_lag_ms"], 1),
        "p99_loop_lag_ms": round(together["p99_lag_ms"], 1),
        "loop_lags_over_30_ms": together["lags_over_30_ms"],
        "parallel_ratio": round(together["seconds"] / slowest, 3),
        "sync_items_per_s": round(sync_rate),
        "bulk_items_per_s": round(bulk),
        "ingest_vs_bulk_ratio": round(sync_rate / bulk, 3),
        "bulk_same_rules_items_per_s": round(bulk_judged),
        "ingest_vs_bulk_same_rules_ratio": round(sync_rate / bulk_judged, 3),
        "sync_no_rules_items_per_s": round(sync_bare_rate),
        "ingest_vs_bulk_no_rules_ratio": round(sync_bare_rate / bulk, 3),
        # Where the CPU goes on the sync path (2 cores): this process (HTTP, parsing, storing,
        # judging) and its children (simulators, scoring worker), per item.
        "cpu_us_per_item_app": round(fast["cpu_app_s"] / fast["items"] * 1e6),
        "cpu_us_per_item_children": round(fast["cpu_children_s"] / fast["items"] * 1e6),
        "cpu_us_per_item_app_no_rules": round(fast_bare["cpu_app_s"] / fast_bare["items"] * 1e6),
        "cpu_us_per_item_children_no_rules": round(fast_bare["cpu_children_s"] / fast_bare["items"] * 1e6),
        "bulk_us_per_item": round(1e6 / bulk),
    }
    rows = [
        (
            "max_loop_lag_ms",
            f"{figures['max_loop_lag_ms']:.1f} ms",
            f"10 ms timer, UI loop (p99 {figures['p99_loop_lag_ms']:.1f} ms, "
            f"{figures['loop_lags_over_30_ms']} lags over 30 ms)",
            "≤ 50 ms",
        ),
        (
            "parallel_ratio",
            f"{figures['parallel_ratio']:.2f}",
            f"{figures['parallel_seconds']} s together / {figures['slowest_alone_seconds']} s slowest alone",
            "≤ 1.5",
        ),
        (
            "ingest_vs_bulk_ratio",
            f"{figures['ingest_vs_bulk_ratio']:.2f}",
            f"{figures['sync_items_per_s']:,} items/s sync path / {figures['bulk_items_per_s']:,} items/s Store.ingest",
            "≥ 0.5",
        ),
        (
            "  same rules in both",
            f"{figures['ingest_vs_bulk_same_rules_ratio']:.2f}",
            f"{figures['sync_items_per_s']:,} items/s sync path / "
            f"{figures['bulk_same_rules_items_per_s']:,} items/s Store.ingest judging with the starter rules",
            "",
        ),
        (
            "  rules off in both",
            f"{figures['ingest_vs_bulk_no_rules_ratio']:.2f}",
            f"{figures['sync_no_rules_items_per_s']:,} items/s sync path, rules off / "
            f"{figures['bulk_items_per_s']:,} items/s Store.ingest",
            "",
        ),
    ]
    rows.append(
        (
            "  CPU per item",
            f"{figures['cpu_us_per_item_app']} µs",
            f"this process, rules on ({figures['cpu_us_per_item_app_no_rules']} µs rules off); "
            f"simulators and scoring {figures['cpu_us_per_item_children']} µs "
            f"({figures['cpu_us_per_item_children_no_rules']} µs); bare Store.ingest {figures['bulk_us_per_item']} µs",
            "",
        )
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>9}  {'target':>7}  baseline")
    for name, value, baseline, target in rows:
        print(f"{name:<{width}}  {value:>9}  {target:>7}  {baseline}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
