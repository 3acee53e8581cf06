# Right: one module-level helper, bound to the future with functools.partial.
# Expected: 8
def _settle(future, error, result):
    if future.cancelled():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


async def call_async(api, request):
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    api(request, functools.partial(_settle, future))
    return await future
