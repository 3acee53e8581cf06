# Wrong: an asyncio.Event and an attribute instead of a future: it behaves, but the future the exercise is about is missing.
# Expected: 2
class OneShot:
    def __init__(self):
        self._event = asyncio.Event()
        self._value = None

    def set(self, value):
        if self._event.is_set():
            return False
        self._value = value
        self._event.set()
        return True

    def is_set(self):
        return self._event.is_set()

    async def wait(self):
        await self._event.wait()
        return self._value
