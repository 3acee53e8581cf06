# Wrong: computes the final average as total / count, so ending with nothing sent divides by zero.
# Expected: 5
def averager():
    total = 0.0
    count = 0
    average = None
    while True:
        term = yield average
        if term is None:
            return Result(count, total / count)
        total += term
        count += 1
        average = total / count
