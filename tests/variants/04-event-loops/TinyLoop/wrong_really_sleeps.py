# Wrong: uses the real clock and time.sleep() until the next timer is due, so an hour of loop time takes an hour.
# Expected: 1
import heapq
import itertools
import time
from collections import deque


class Handle:
    def __init__(self, callback, args):
        self.callback, self.args, self.cancelled = callback, args, False

    def cancel(self):
        self.cancelled = True


class TinyLoop:
    def __init__(self):
        self._start = time.monotonic()
        self._ready = deque()
        self._timers = []
        self._count = itertools.count()

    def time(self):
        return time.monotonic() - self._start

    def call_soon(self, callback, *args):
        handle = Handle(callback, args)
        self._ready.append(handle)
        return handle

    def call_later(self, delay, callback, *args):
        handle = Handle(callback, args)
        heapq.heappush(self._timers, (self.time() + delay, next(self._count), handle))
        return handle

    def spawn(self, gen):
        def step():
            try:
                delay = next(gen)
            except StopIteration:
                return
            self.call_later(delay or 0, step)
        self.call_soon(step)

    def run(self):
        while self._ready or self._timers:
            if not self._ready:
                when, _, handle = heapq.heappop(self._timers)
                wait = when - self.time()
                if wait > 0:
                    time.sleep(wait)
                self._ready.append(handle)
            handle = self._ready.popleft()
            if not handle.cancelled:
                handle.callback(*handle.args)
