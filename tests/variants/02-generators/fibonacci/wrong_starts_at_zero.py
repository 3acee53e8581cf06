# Wrong: starts the sequence at 0 (0, 1, 1, 2, ...) instead of 1, 1, 2, ...
# Expected: 0
def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
