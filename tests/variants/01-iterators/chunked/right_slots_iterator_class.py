# Right: chunked returns an instance of an iterator class with __slots__; the size is
# checked when chunked is called.
# Expected: 5
import itertools


class _Chunks:
    __slots__ = ("_items", "_size")

    def __init__(self, iterable, size):
        self._items = iter(iterable)
        self._size = size

    def __iter__(self):
        return self

    def __next__(self):
        chunk = list(itertools.islice(self._items, self._size))
        if not chunk:
            raise StopIteration
        return chunk


def chunked(iterable, size):
    if size < 1:
        raise ValueError(f"size must be >= 1, got {size}")
    return _Chunks(iterable, size)
