# Right: a delegating generator captures the return value with yield from; sum() counts the suspensions.
# Expected: 5
def drive(coro):
    box = []

    def delegate():
        box.append((yield from coro.__await__()))

    suspensions = sum(1 for _ in delegate())
    return box[0], suspensions
