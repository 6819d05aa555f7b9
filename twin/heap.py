"""Keeping the garbage collector's full passes off a serving process's long-lived state.

A twin holds hundreds of thousands of long-lived objects (the campus, the projection's states,
feature collections, the space catalogue). CPython's full collection walks all of them: about
0.14 s at 20,000 units, paid by whichever request happens to trigger it, and it comes round
again and again under load. :func:`settle`, called once a big structure is built, collects and
then freezes everything alive (:func:`gc.freeze`), so later full passes walk only what is new.
Frozen objects are still freed by reference counting; :func:`release` (at shutdown) hands them
back to the collector so cycles among them are not kept.
"""

from __future__ import annotations

import ctypes
import gc
import threading
import time

_lock = threading.Lock()


def settle() -> float:
    """Collect garbage, then freeze every object alive now; the seconds it took."""
    with _lock:
        started = time.perf_counter()
        gc.collect()
        gc.freeze()
        return time.perf_counter() - started


def release() -> None:
    """Unfreeze: the collector sees every object again (call when the service stops)."""
    with _lock:
        gc.unfreeze()


def trim() -> None:
    """Collect garbage and hand freed heap memory back to the system (glibc ``malloc_trim``),
    after a burst of large temporary buffers (renders): otherwise the process keeps its peak."""
    gc.collect()
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return
    libc.malloc_trim(0)
