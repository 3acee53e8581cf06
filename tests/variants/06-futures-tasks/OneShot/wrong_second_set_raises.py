# Wrong: set() does not look before it sets, so a second set() raises InvalidStateError instead of returning False.
# Expected: 2
class OneShot:
    def __init__(self):
        self._future = asyncio.get_running_loop().create_future()

    def set(self, value):
        self._future.set_result(value)
        return True

    def is_set(self):
        return self._future.done()

    async def wait(self):
        return await asyncio.shield(self._future)
