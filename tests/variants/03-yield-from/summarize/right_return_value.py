# Right: the delegating generator returns the Result; summarize takes it from StopIteration.
# Expected: 5
def average_of_group():
    result = yield from averager()
    return result


def summarize(data):
    results = {}
    for key, values in data.items():
        group = average_of_group()
        next(group)
        for value in values:
            group.send(value)
        try:
            group.send(None)
        except StopIteration as done:
            results[key] = done.value
    return results
