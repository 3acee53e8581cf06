# Wrong: floor division // gives 1 instead of 1.5 (and ints, not floats).
# Expected: 2
def averager():
    total = 0
    count = 0
    average = None
    while True:
        term = yield average
        if term is None:
            break
        total += term
        count += 1
        average = total // count
    return Result(count, average)
