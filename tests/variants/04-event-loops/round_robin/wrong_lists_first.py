# Wrong: reads every generator to the end first, then interleaves the lists: the values come out in the right order, but each generator runs ahead of its turn.
# Expected: 3
import itertools


def round_robin(*gens):
    missing = object()
    lists = [list(gen) for gen in gens]
    return [value for row in itertools.zip_longest(*lists, fillvalue=missing)
            for value in row if value is not missing]
