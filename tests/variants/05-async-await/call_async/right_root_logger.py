# Right: a late reply is logged with the module-level logging.warning(), which sets up a root handler on stderr itself; log records never cost marks.
# Expected: 8
import logging


async def call_async(api, request):
    future = asyncio.get_running_loop().create_future()

    def callback(error, result):
        if future.done():
            logging.warning("late answer to %r dropped", request)
        elif error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    api(request, callback)
    return await future
