# Right: an asyncio.Future (bound to the running loop) carries (error, result); the coroutine raises itself.
# Expected: 7
async def call_async(api, request):
    answer = asyncio.Future()

    def callback(error, result):
        if not answer.done():
            answer.set_result((error, result))

    api(request, callback)
    error, result = await answer
    if error is not None:
        raise error
    return result
