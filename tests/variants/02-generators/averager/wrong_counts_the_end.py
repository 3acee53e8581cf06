# Wrong: counts before checking for None, so the final None is counted as a number.
# Expected: 3
def averager():
    total = 0.0
    count = 0
    average = None
    while True:
        term = yield average
        count += 1
        if term is None:
            break
        total += term
        average = total / count
    return Result(count, average)
