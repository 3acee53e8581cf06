# Right: configures logging with basicConfig() (a root handler on stderr, level INFO) and logs every answer, late ones as warnings; log records never cost marks.
# Expected: 8
import logging

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("callbacks")


async def call_async(api, request):
    future = asyncio.get_running_loop().create_future()

    def callback(error, result):
        if future.cancelled():
            log.warning("late answer to %r dropped: %r", request, error or result)
            return
        log.info("answer to %r", request)
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    api(request, callback)
    return await future
