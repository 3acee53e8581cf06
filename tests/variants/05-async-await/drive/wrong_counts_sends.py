# Wrong: counts every send(), including the last one that finishes the coroutine: one too many.
# Expected: 2
def drive(coro):
    sends = 0
    while True:
        sends += 1
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value, sends
