# Right: a lambda that unpacks an islice into a list display.
# Expected: 4
import itertools

take = lambda n, iterable: [*itertools.islice(iterable, n)]  # noqa: E731
