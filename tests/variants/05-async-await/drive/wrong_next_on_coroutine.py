# Wrong: drives the coroutine with next(), as for a generator; coroutine objects have no __next__.
# Expected: 0
def drive(coro):
    suspensions = 0
    while True:
        try:
            next(coro)
        except StopIteration as stop:
            return stop.value, suspensions
        suspensions += 1
