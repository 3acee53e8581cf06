# Wrong: `if not term` also ends the averager when the number 0 is sent.
# Expected: 4
def averager():
    total = 0.0
    count = 0
    average = None
    while True:
        term = yield average
        if not term:
            break
        total += term
        count += 1
        average = total / count
    return Result(count, average)
