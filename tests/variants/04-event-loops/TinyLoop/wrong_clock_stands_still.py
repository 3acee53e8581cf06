# Wrong: runs the timers in the right order but never moves the clock, so time() stays 0.0 and every delay counts from 0.
# Expected: 5
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

    def call_later(self, delay, callback, *args):
        handle = Handle(callback, args)
        heapq.heappush(self._timers, (self._now + delay, next(self._count), handle))
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
                self._ready.append(heapq.heappop(self._timers)[2])
            handle = self._ready.popleft()
            if not handle.cancelled:
                handle.callback(*handle.args)
