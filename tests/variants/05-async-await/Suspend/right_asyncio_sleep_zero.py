# Right: each suspension delegates to asyncio.sleep(0), whose own __await__ yields None once; it needs no running loop to be driven by hand.
# Expected: 4
class Suspend:
    def __init__(self, n):
        if n < 0:
            raise ValueError("Suspend needs n >= 0")
        self.n = n

    def __await__(self):
        for _ in range(self.n):
            yield from asyncio.sleep(0).__await__()
        return self.n
