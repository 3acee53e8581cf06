# Wrong: a for loop over the awaitable's iterator swallows StopIteration and its value.
# Expected: 3
def drive(coro):
    suspensions = 0
    for _ in coro.__await__():
        suspensions += 1
    return None, suspensions
