"""One background worker thread per process. It warms Numba and LLVM up after
`import tracegrad`, then compiles native code for new signatures while their first calls
are answered by the interpreter (tiered.py).

One thread, not a pool: compiles mostly run inside LLVM without the GIL, and a second
one would only compete with the caller's thread for the same cores.

Fork: a job holds `busy` while it runs, and a fork waits for it (a child must not
inherit Numba's or LLVM's locks held by a thread that does not exist there). The child
starts with no worker; jobs the parent had queued are the parent's — whoever waits for
one in the child resubmits it there (see Job.pid).
Exit: queued jobs are dropped and the running one gets EXIT_WAIT seconds to finish, so
exit neither hangs nor cuts an LLVM compile off in the middle of writing."""
from __future__ import annotations

import atexit
import collections
import os
import threading

EXIT_WAIT = 10.0


class Job:
    """One piece of background work; `wait()` returns its result or raises its error."""

    def __init__(self, fn, on_done=None):
        self.fn, self.on_done = fn, on_done
        self.pid = os.getpid()
        self.event = threading.Event()
        self.result = self.error = None

    def done(self) -> bool:
        return self.event.is_set()

    def wait(self, timeout=None):
        if not self.event.wait(timeout):
            raise TimeoutError("background compilation is still running")
        if self.error is not None:
            raise self.error
        return self.result

    def run(self):
        try:
            self.result = self.fn()
            if self.on_done is not None:
                self.on_done(self)              # before waiters wake: they see its effect
        except BaseException as error:          # reaches whoever waits, or the next call
            self.error = error
        self.event.set()


class _Worker:
    def __init__(self):
        self.jobs = collections.deque()
        self.cond = threading.Condition()
        self.busy = threading.Lock()
        self.thread = None
        self.closing = False

    def submit(self, job: Job) -> Job:
        with self.cond:
            if self.closing:
                job.error = RuntimeError("the interpreter is shutting down")
                job.event.set()
                return job
            self.jobs.append(job)
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, name="tracegrad-compile",
                                               daemon=True)
                self.thread.start()
            self.cond.notify()
        return job

    def _loop(self):
        while True:
            with self.cond:
                while not self.jobs:
                    self.cond.wait()
                job = self.jobs.popleft()
            with self.busy:
                if self.closing:
                    continue
                job.run()

    def close(self):
        with self.cond:
            self.closing = True
            self.jobs.clear()
        if self.busy.acquire(timeout=EXIT_WAIT):
            self.busy.release()


_worker = _Worker()


def submit(fn, on_done=None) -> Job:
    """Run fn() on the background thread; -> its Job."""
    return _worker.submit(Job(fn, on_done))


def idle() -> bool:
    """No job running or queued (for tests and the bench)."""
    with _worker.cond:
        queued = bool(_worker.jobs)
    return not queued and not _worker.busy.locked()


def _before_fork():
    _worker.busy.acquire()


def _after_fork_in_parent():
    _worker.busy.release()


def _after_fork_in_child():
    global _worker
    _worker = _Worker()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_after_fork_in_child)
atexit.register(lambda: _worker.close())
