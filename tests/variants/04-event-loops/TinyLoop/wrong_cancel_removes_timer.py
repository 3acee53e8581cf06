# Wrong: cancel() takes the timer out of the heap with list.remove(), which raises ValueError once the callback has already run.
# Expected: 6
import heapq
import itertools
from collections import deque


class TimerHandle:
    def __init__(self, loop, entry):
        self.loop, self.entry = loop, entry

    def cancel(self):
        self.loop.timers.remove(self.entry)
        heapq.heapify(self.loop.timers)


class TinyLoop:
    def __init__(self):
        self.now = 0.0
        self.ready = deque()
        self.timers = []
        self.sequence = itertools.count()

    def time(self):
        return self.now

    def call_soon(self, callback, *args):
        self.ready.append((callback, args))

    def call_later(self, delay, callback, *args):
        entry = (self.now + delay, next(self.sequence), callback, args)
        heapq.heappush(self.timers, entry)
        return TimerHandle(self, entry)

    def spawn(self, gen):
        def step():
            try:
                delay = next(gen)
            except StopIteration:
                return
            self.call_later(delay or 0, step)

        self.call_soon(step)

    def run(self):
        while self.ready or self.timers:
            if not self.ready:
                when, _, callback, args = heapq.heappop(self.timers)
                self.now = max(self.now, when)
                self.ready.append((callback, args))
            callback, args = self.ready.popleft()
            callback(*args)
