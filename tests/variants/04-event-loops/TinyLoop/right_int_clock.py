# Right: the reference design with an int clock: time() starts at 0, not 0.0 (the statement compares values, never types).
# Expected: 8
import heapq
import itertools
from collections import deque


class Handle:
    def __init__(self, callback, args):
        self.callback, self.args = callback, args
        self.cancelled = False

    def cancel(self):
        self.cancelled = True


class TinyLoop:
    def __init__(self):
        self.now = 0
        self.ready = deque()
        self.timers = []  # heap of (when, sequence number, handle)
        self.sequence = itertools.count()

    def time(self):
        return self.now

    def call_soon(self, callback, *args):
        handle = Handle(callback, args)
        self.ready.append(handle)
        return handle

    def call_later(self, delay, callback, *args):
        handle = Handle(callback, args)
        heapq.heappush(self.timers, (self.now + delay, next(self.sequence), handle))
        return handle

    def spawn(self, gen):
        def step():
            try:
                delay = next(gen)
            except StopIteration:
                return
            if delay is None:
                self.call_soon(step)
            else:
                self.call_later(delay, step)

        self.call_soon(step)

    def run(self):
        while self.ready or self.timers:
            if self.ready:
                handle = self.ready.popleft()
            else:
                when, _, handle = heapq.heappop(self.timers)
                self.now = max(self.now, when)
            if not handle.cancelled:
                handle.callback(*handle.args)
