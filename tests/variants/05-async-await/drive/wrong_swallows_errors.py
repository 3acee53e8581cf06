# Wrong: a broad except catches the coroutine's own error too and returns instead of raising.
# Expected: 3
def drive(coro):
    suspensions = 0
    while True:
        try:
            coro.send(None)
        except Exception as exc:
            return getattr(exc, "value", None), suspensions
        suspensions += 1
