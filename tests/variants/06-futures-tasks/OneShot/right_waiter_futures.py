# Right: the value lives in one future; each waiter gets a future of its own, filled by a done-callback, so cancelling a waiter cancels only its own.
# Expected: 4
class OneShot:
    def __init__(self):
        self._loop = asyncio.get_running_loop()
        self._value = self._loop.create_future()

    def set(self, value):
        if self._value.done():
            return False
        self._value.set_result(value)
        return True

    def is_set(self):
        return self._value.done()

    async def wait(self):
        mine = self._loop.create_future()

        def hand_over(value_future):
            if not mine.done():
                mine.set_result(value_future.result())

        self._value.add_done_callback(hand_over)
        try:
            return await mine
        finally:
            self._value.remove_done_callback(hand_over)
