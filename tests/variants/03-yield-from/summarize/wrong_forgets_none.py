# Wrong: never sends None, so no averager returns its Result and nothing is stored.
# Expected: 1
def grouper(results, key):
    while True:
        results[key] = yield from averager()


def summarize(data):
    results = {}
    for key, values in data.items():
        group = grouper(results, key)
        next(group)
        for value in values:
            group.send(value)
    return results
