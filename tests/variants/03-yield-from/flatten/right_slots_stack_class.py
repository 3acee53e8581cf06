# Right: not a generator function but an iterator class with __slots__ and an explicit stack
# of iterators: lazy, and no recursion limit.
# Expected: 5
class _Flat:
    __slots__ = ("_stack",)

    def __init__(self, nested):
        self._stack = [iter(nested)]

    def __iter__(self):
        return self

    def __next__(self):
        while self._stack:
            for item in self._stack[-1]:
                if isinstance(item, (list, tuple)):
                    self._stack.append(iter(item))
                    break
                return item
            else:
                self._stack.pop()
        raise StopIteration


def flatten(nested):
    return _Flat(nested)
