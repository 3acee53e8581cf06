# Right: the delegating generator is a closure inside summarize that stores into a dict of
# the enclosing function; averager is still looked up by its name.
# Expected: 5
def summarize(data):
    results = {}

    def grouper(key):
        while True:
            results[key] = yield from averager()

    for key, values in data.items():
        group = grouper(key)
        next(group)
        for value in values:
            group.send(value)
        group.send(None)
        group.close()
    return results
