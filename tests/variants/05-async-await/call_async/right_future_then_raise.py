# Right: the future from loop.create_future() carries the pair (error, result); the coroutine raises the error itself.
# Expected: 8
async def call_async(api, request):
    answer = asyncio.get_running_loop().create_future()

    def callback(error, result):
        if not answer.done():
            answer.set_result((error, result))

    api(request, callback)
    error, result = await answer
    if error is not None:
        raise error
    return result
