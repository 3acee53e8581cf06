# Wrong: the timer heap compares handles by due time only, and a heap is not stable, so callbacks due at the same time come out shuffled.
# Expected: 7
import heapq
from collections import deque


class Timer:
    def __init__(self, when, callback, args):
        self.when, self.callback, self.args = when, callback, args
        self.cancelled = False

    def __lt__(self, other):
        return self.when < other.when

    def cancel(self):
        self.cancelled = True


class TinyLoop:
    def __init__(self):
        self.now = 0.0
        self.ready = deque()
        self.timers = []

    def time(self):
        return self.now

    def call_soon(self, callback, *args):
        self.ready.append((callback, args))

    def call_later(self, delay, callback, *args):
        timer = Timer(self.now + delay, callback, args)
        heapq.heappush(self.timers, timer)
        return timer

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
            while self.ready:
                callback, args = self.ready.popleft()
                callback(*args)
            if self.timers:
                timer = heapq.heappop(self.timers)
                if not timer.cancelled:
                    self.now = timer.when
                    timer.callback(*timer.args)
