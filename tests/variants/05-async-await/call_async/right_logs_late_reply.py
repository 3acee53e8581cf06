# Right: when the reply comes after the caller was cancelled, the callback logs it at WARNING (no handler is configured, so Python would print it to stderr) and changes nothing else.
# Expected: 8
import logging

log = logging.getLogger("callback-api")


async def call_async(api, request):
    future = asyncio.get_running_loop().create_future()

    def callback(error, result):
        if future.cancelled():
            log.warning("dropped a late reply to %r", request)
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    api(request, callback)
    return await future
