"""A separate process serving Mastodon simulators for the sync benchmark (one per account).

Running the simulators in their own process keeps them from competing with the app for the
GIL, as real servers would. Protocol on stdin/stdout, one line each:

    -> (start)              <- {"accounts": [{"base_url", "token", "handle", "settings"}, ...]}
    -> seed N               <- ok        (N new mentions on every simulator)
    -> quit
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta

from cmdesk.connectors.simulators.mastodon import MastodonSimulator, connector_for
from cmdesk.core.models import ItemKind

WORDS = [
    "merci",
    "livraison",
    "retard",
    "commande",
    "remboursement",
    "horaires",
    "boutique",
    "accueil",
    "croissant",
    "thanks",
    "delivery",
    "late",
    "order",
    "refund",
    "hours",
    "shop",
    "staff",
    "great",
    "réponse",
    "déçu",
    "génial",
]


def main() -> int:
    count, latency = int(sys.argv[1]), float(sys.argv[2])
    sims = []
    for n in range(count):
        sim = MastodonSimulator(owner_role="user", owner_username=f"brand{n}", rate_budget=10**9)
        sim.faults.latency = latency
        sim.start()
        sims.append(sim)
    accounts = []
    for sim in sims:
        account, vault = connector_for(sim)
        accounts.append(
            {
                "base_url": sim.base_url,
                "token": vault.get("access_token"),
                "handle": account.handle,
                "settings": account.settings,
            }
        )
    print(json.dumps({"accounts": accounts}), flush=True)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    seeded = 0
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        if command[0] == "seed":
            amount = int(command[1])
            for sim in sims:
                latency_before, sim.faults.latency = sim.faults.latency, 0.0
                for i in range(seeded, seeded + amount):
                    # Varied texts: copies of one text would be judged as a spam flood.
                    words = random.Random(f"{sim.base_url} {i}").choices(WORDS, k=4 + i % 20)
                    text = " ".join(words) + f" #{i}"
                    sim.seed_incoming(
                        author_id=f"a{i % 997}",
                        author_name=f"Author {i % 997}",
                        author_handle=f"author{i % 997}",
                        text=text,
                        created_at=start + timedelta(seconds=i),
                        kind=ItemKind.MENTION,
                    )
                sim.render_cached_texts()
                sim.faults.latency = latency_before
            seeded += amount
            print("ok", flush=True)
    for sim in sims:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
