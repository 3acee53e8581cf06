# Wrong: every waiter awaits the shared future itself, so cancelling one waiter cancels the future and every other waiter with it.
# Expected: 2
class OneShot:
    def __init__(self):
        self._future = asyncio.get_running_loop().create_future()

    def set(self, value):
        if self._future.done():
            return False
        self._future.set_result(value)
        return True

    def is_set(self):
        return self._future.done()

    async def wait(self):
        return await self._future
