# Right: a slotted dataclass whose one field is the future, made by a default factory; wait() shields it from its callers' cancellation.
# Expected: 4
import dataclasses


@dataclasses.dataclass(slots=True)
class OneShot:
    _future: asyncio.Future = dataclasses.field(
        default_factory=lambda: asyncio.get_running_loop().create_future())

    def set(self, value):
        if self._future.done():
            return False
        self._future.set_result(value)
        return True

    def is_set(self):
        return self._future.done()

    async def wait(self):
        return await asyncio.shield(self._future)
