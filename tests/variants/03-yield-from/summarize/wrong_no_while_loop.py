# Wrong: the delegating generator has no loop, so it ends with its averager and the final
# send(None) raises StopIteration in summarize.
# Expected: 0
def grouper(results, key):
    results[key] = yield from averager()


def summarize(data):
    results = {}
    for key, values in data.items():
        group = grouper(results, key)
        next(group)
        for value in values:
            group.send(value)
        group.send(None)
    return results
