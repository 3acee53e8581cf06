# Wrong: yields the Result instead of returning it, so send(None) raises no StopIteration.
# Expected: 2
def averager():
    total = 0.0
    count = 0
    average = None
    while True:
        term = yield average
        if term is None:
            yield Result(count, average)
            break
        total += term
        count += 1
        average = total / count
