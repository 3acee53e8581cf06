# Wrong: copied from a finite version: it stops after n numbers instead of going on forever.
# Expected: 2
def fibonacci(n=10):
    a, b = 1, 1
    for _ in range(n):
        yield a
        a, b = b, a + b
