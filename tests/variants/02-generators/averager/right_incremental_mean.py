# Right: updates the mean incrementally instead of keeping a total.
# Expected: 7
def averager():
    count, mean = 0, None
    while (term := (yield mean)) is not None:
        count += 1
        mean = float(term) if count == 1 else mean + (term - mean) / count
    return Result(count, mean)
