# Right: call_soon is call_later(0); one heap of [when, number, callback, args] entries, cancelled by blanking the callback.
# Expected: 8
import heapq
import itertools


class TimerHandle:
    def __init__(self, entry):
        self._entry = entry

    def cancel(self):
        self._entry[2] = None


class TinyLoop:
    def __init__(self):
        self._clock = 0.0
        self._heap = []
        self._tiebreak = itertools.count()

    def time(self):
        return self._clock

    def call_later(self, delay, callback, *args):
        entry = [self._clock + delay, next(self._tiebreak), callback, args]
        heapq.heappush(self._heap, entry)
        return TimerHandle(entry)

    def call_soon(self, callback, *args):
        return self.call_later(0, callback, *args)

    def spawn(self, gen):
        def resume():
            delay = next(gen, StopIteration)
            if delay is not StopIteration:
                self.call_later(delay or 0, resume)
        self.call_soon(resume)

    def run(self):
        while self._heap:
            when, _, callback, args = heapq.heappop(self._heap)
            if callback is None:
                continue
            self._clock = when
            callback(*args)
