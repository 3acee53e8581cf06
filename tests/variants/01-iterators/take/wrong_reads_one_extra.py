# Wrong: pulls the item and only then checks the count, so one item too many is consumed.
# Expected: 1
def take(n, iterable):
    result = []
    for item in iterable:
        if len(result) == n:
            break
        result.append(item)
    return result
