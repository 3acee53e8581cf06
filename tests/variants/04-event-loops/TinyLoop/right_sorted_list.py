# Right: keeps the timers in a list sorted by (due time, sequence number) with bisect.insort; a task is an object with a step method.
# Expected: 8
import bisect
import itertools
from collections import deque


class Timer:
    def __init__(self, loop, callback, args):
        self.loop, self.callback, self.args = loop, callback, args

    def cancel(self):
        self.callback = None


class Task:
    def __init__(self, loop, gen):
        self.loop, self.gen = loop, gen

    def step(self):
        try:
            delay = self.gen.send(None)
        except StopIteration:
            return
        if delay:
            self.loop.call_later(delay, self.step)
        else:
            self.loop.call_soon(self.step)


class TinyLoop:
    def __init__(self):
        self.clock = 0.0
        self.soon = deque()
        self.timers = []  # sorted list of (when, number, Timer)
        self.numbers = itertools.count()

    def time(self):
        return self.clock

    def call_soon(self, callback, *args):
        timer = Timer(self, callback, args)
        self.soon.append(timer)
        return timer

    def call_later(self, delay, callback, *args):
        timer = Timer(self, callback, args)
        bisect.insort(self.timers, (self.clock + delay, next(self.numbers), timer),
                      key=lambda entry: entry[:2])
        return timer

    def spawn(self, gen):
        self.call_soon(Task(self, gen).step)

    def run(self):
        while self.soon or self.timers:
            if self.soon:
                timer = self.soon.popleft()
            else:
                when, _, timer = self.timers.pop(0)
                self.clock = max(self.clock, when)
            if timer.callback is not None:
                timer.callback(*timer.args)
