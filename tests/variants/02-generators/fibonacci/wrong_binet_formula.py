# Wrong: Binet's closed formula in floating point drifts from the exact numbers after ~70 terms.
# Expected: 2
import itertools
import math


def fibonacci():
    sqrt5 = math.sqrt(5)
    phi = (1 + sqrt5) / 2
    for n in itertools.count(1):
        yield round(phi**n / sqrt5)
