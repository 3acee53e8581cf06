# Right: an iterator class with __slots__, returned by read_blocks.
# Expected: 2
class _Blocks:
    __slots__ = ("stream", "size")

    def __init__(self, stream, size):
        self.stream, self.size = stream, size

    def __iter__(self):
        return self

    def __next__(self):
        block = self.stream.read(self.size)
        if block == b"":
            raise StopIteration
        return block


def read_blocks(stream, size):
    return _Blocks(stream, size)
