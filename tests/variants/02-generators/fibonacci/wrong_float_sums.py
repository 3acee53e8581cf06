# Wrong: starts from 1.0, so every number is a float (and inexact after the 78th).
# Expected: 1
def fibonacci():
    a, b = 1.0, 1.0
    while True:
        yield a
        a, b = b, a + b
