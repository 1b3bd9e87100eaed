"""The background threads' turn: one holder at a time, re-entrant, and let go while waiting."""

from __future__ import annotations

import threading
import time

from cmdesk.core.cpu_turn import CpuTurn


def test_one_holder_at_a_time_and_reentrant():
    turn = CpuTurn()
    inside, most = 0, 0
    lock = threading.Lock()

    def work():
        nonlocal inside, most
        for _ in range(50):
            with turn.held(), turn.held():  # a nested section does not deadlock
                with lock:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.0005)
                with lock:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert most == 1
    assert not turn.holding()


def test_released_lets_another_thread_in_and_takes_the_turn_back():
    turn = CpuTurn()
    other_ran = threading.Event()

    def other():
        with turn.held():
            other_ran.set()

    with turn.held():
        thread = threading.Thread(target=other)
        thread.start()
        assert not other_ran.wait(0.1)  # blocked while this thread holds the turn
        with turn.released():
            assert other_ran.wait(5)  # ...and in while this one waits on the network
            assert not turn.holding()
        assert turn.holding()
    thread.join(5)


def test_released_without_the_turn_is_harmless():
    turn = CpuTurn()
    with turn.released():
        assert not turn.holding()
    with turn.held():
        assert turn.holding()


def test_giving_way_holds_new_turns_for_the_time_asked():
    turn = CpuTurn()
    started = threading.Event()

    def worker():
        with turn.held():
            started.set()

    turn.give_way(0.5)
    thread = threading.Thread(target=worker)
    thread.start()
    assert not started.wait(0.1)  # the UI asked for room: no new turn yet
    assert started.wait(5)  # ...and the room ends by itself
    thread.join(5)
    with turn.held():  # no room asked for: no wait
        assert turn.holding()


def test_a_thread_coming_back_from_the_network_waits_for_room_too():
    turn = CpuTurn()
    back = threading.Event()
    leave = threading.Event()

    def fetch():
        with turn.held():
            with turn.released():
                leave.wait(5)  # "the network"
            back.set()

    thread = threading.Thread(target=fetch)
    thread.start()
    time.sleep(0.05)
    turn.give_way(0.5)
    leave.set()
    assert not back.wait(0.1)
    assert back.wait(5)
    thread.join(5)


def test_a_thread_working_without_the_turn_waits_for_room_all_the_same():
    """The sync's database thread does not take the turn but holds back while the UI draws."""
    turn = CpuTurn()
    turn.wait_for_room()  # no room asked for: returns at once
    done = threading.Event()

    def write():
        turn.wait_for_room()
        done.set()

    turn.give_way(0.5)
    thread = threading.Thread(target=write)
    thread.start()
    assert not done.wait(0.1)
    assert done.wait(5)
    thread.join(5)
    assert not turn.holding()
