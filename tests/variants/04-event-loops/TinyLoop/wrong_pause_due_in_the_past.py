# Wrong: a task that pauses (bare `yield` or `yield 0`) is rescheduled due a second in the past, so it jumps ahead of the call_later(0) callbacks scheduled before it.
# Expected: 7
import heapq
import itertools
from collections import deque


class Handle:
    def __init__(self, callback, args):
        self.callback, self.args = callback, args
        self.cancelled = False

    def cancel(self):
        self.cancelled = True

    def run(self):
        if not self.cancelled:
            self.callback(*self.args)


class TinyLoop:
    def __init__(self):
        self._now = 0.0
        self._ready = deque()
        self._timers = []  # heap of (when, sequence number, handle)
        self._sequence = itertools.count()

    def time(self):
        return self._now

    def call_soon(self, callback, *args):
        handle = Handle(callback, args)
        self._ready.append(handle)
        return handle

    def call_later(self, delay, callback, *args):
        handle = Handle(callback, args)
        heapq.heappush(self._timers, (self._now + delay, next(self._sequence), handle))
        return handle

    def spawn(self, gen):
        self.call_soon(self._step, gen)

    def _step(self, gen):
        try:
            delay = next(gen)
        except StopIteration:
            return
        self.call_later(delay if delay else -1, self._step, gen)  # -1: "right away"

    def run(self):
        while self._ready or self._timers:
            if not self._ready:
                when, _, handle = heapq.heappop(self._timers)
                self._now = max(self._now, when)
                self._ready.append(handle)
            while self._timers and self._timers[0][0] <= self._now:
                self._ready.append(heapq.heappop(self._timers)[2])
            for _ in range(len(self._ready)):
                self._ready.popleft().run()
