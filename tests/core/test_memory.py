"""Objects from start-up are kept out of the garbage collector's scans."""

from __future__ import annotations

import gc

from cmdesk.core.memory import settle_startup_objects


def test_startup_objects_are_frozen():
    before = gc.get_freeze_count()
    try:
        settle_startup_objects()
        assert gc.get_freeze_count() > before
        # What comes later is collected as usual: a cycle made now is freed by a collection.
        freed = []

        class Node:
            def __del__(self):
                freed.append(True)

        node = Node()
        node.me = node
        del node
        gc.collect()
        assert freed == [True]
    finally:
        gc.unfreeze()
