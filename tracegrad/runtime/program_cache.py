"""The programs one compiled function keeps in memory: Signature -> entry (an Executable,
or a TieredProgram until its native code is ready), at most `config.max_signatures` of
them (TRACEGRAD_MAX_SIGNATURES). A function called with ever new shapes would otherwise
hold every program it ever compiled.

Eviction is least-recently-used: every call of an entry stamps it with the next tick of
one process-wide counter (`entry.last_used = next(TICK)`, tens of nanoseconds on the hot
path, no reordering), and making room drops the entry with the oldest stamp (a scan of
at most max_signatures entries, on a compile only). The call path also finds entries
through shortcut dicts keyed on argument types instead of a Signature; they are kept in
step here (an evicted entry leaves them, a native program replaces its tiered entry)."""
from __future__ import annotations

import itertools
import threading

from ..config import config

TICK = itertools.count(1)


class ProgramCache:
    def __init__(self):
        self.by_signature: dict = {}    # Signature -> entry
        self.shortcuts: list = []       # dicts: key on argument types -> entry
        self.evicted = 0
        self._lock = threading.Lock()

    def __len__(self):
        return len(self.by_signature)

    def get(self, signature):
        entry = self.by_signature.get(signature)
        if entry is not None:
            entry.last_used = next(TICK)
        return entry

    def add(self, signature, entry) -> list:
        """Keep `entry` for `signature`; -> the signatures evicted to make room."""
        entry.last_used = next(TICK)
        with self._lock:
            self.by_signature[signature] = entry
            evicted = []
            while len(self.by_signature) > max(1, config.max_signatures):
                evicted.append(self._evict_one())
            return evicted

    def replace(self, signature, old, new) -> None:
        """`new` serves what `old` served (a tiered entry's native program), unless `old`
        was evicted meanwhile."""
        with self._lock:
            if self.by_signature.get(signature) is not old:
                return
            new.last_used = old.last_used
            self.by_signature[signature] = new
            for shortcut in self.shortcuts:
                for key, value in list(shortcut.items()):
                    if value is old:
                        shortcut[key] = new

    def drop_shortcut(self, shortcut: dict) -> None:
        with self._lock:
            self.shortcuts = [d for d in self.shortcuts if d is not shortcut]

    def _evict_one(self):
        signature = min(self.by_signature, key=lambda s: self.by_signature[s].last_used)
        entry = self.by_signature.pop(signature)
        for shortcut in self.shortcuts:
            for key, value in list(shortcut.items()):
                if value is entry:
                    shortcut.pop(key, None)
        self.evicted += 1
        return signature
