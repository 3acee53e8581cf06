# Right: steps the iterator that __await__ returns, with next(); it raises StopIteration at the end.
# Expected: 5
def drive(coro):
    steps = coro.__await__()
    count = 0
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return (stop.value, count)
        count += 1
