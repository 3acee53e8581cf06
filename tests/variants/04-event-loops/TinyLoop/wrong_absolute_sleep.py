# Wrong: a task's "yield delay" wakes it at loop time `delay` (an absolute time) instead of `delay` seconds from now.
# Expected: 7
import heapq
import itertools
from collections import deque


class Handle:
    def __init__(self, callback, args):
        self.callback, self.args, self.cancelled = callback, args, False

    def cancel(self):
        self.cancelled = True


class TinyLoop:
    def __init__(self):
        self._now = 0.0
        self._ready = deque()
        self._timers = []
        self._count = itertools.count()

    def time(self):
        return self._now

    def call_soon(self, callback, *args):
        handle = Handle(callback, args)
        self._ready.append(handle)
        return handle

    def call_at(self, when, callback, *args):
        handle = Handle(callback, args)
        heapq.heappush(self._timers, (when, next(self._count), handle))
        return handle

    def call_later(self, delay, callback, *args):
        return self.call_at(self._now + delay, callback, *args)

    def spawn(self, gen):
        def step():
            try:
                when = next(gen)
            except StopIteration:
                return
            self.call_at(when or 0, step)
        self.call_soon(step)

    def run(self):
        while self._ready or self._timers:
            if not self._ready:
                when, _, handle = heapq.heappop(self._timers)
                self._now = max(self._now, when)
                self._ready.append(handle)
            handle = self._ready.popleft()
            if not handle.cancelled:
                handle.callback(*handle.args)
