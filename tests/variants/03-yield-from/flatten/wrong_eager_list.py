# Wrong: builds the whole flat list recursively and returns it: correct items, but not lazy.
# Expected: 2
def flatten(nested):
    flat = []
    for item in nested:
        if isinstance(item, (list, tuple)):
            flat.extend(flatten(item))
        else:
            flat.append(item)
    return flat
