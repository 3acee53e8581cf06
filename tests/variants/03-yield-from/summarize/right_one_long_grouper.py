# Right: a single delegating generator for all groups; it is sent each key, then its numbers.
# Expected: 5
def grouper(results):
    while True:
        key = yield
        results[key] = yield from averager()


def summarize(data: dict[str, list[float]]) -> dict:
    results = {}
    group = grouper(results)
    next(group)
    for key, values in data.items():
        group.send(key)
        for value in values:
            group.send(value)
        group.send(None)
    group.close()
    return results
