# Wrong: right numbers, but computed directly: averager() and yield from are never used.
# Expected: 2
def summarize(data):
    return {
        key: Result(len(values), sum(values) / len(values)) if values else Result(0, None)
        for key, values in data.items()
    }
