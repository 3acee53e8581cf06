# Wrong: makes its future with asyncio.Future() instead of loop.create_future(), which the statement asks for (the loop makes its own kind of future).
# Expected: 6
async def call_async(api, request):
    answer = asyncio.Future()

    def callback(error, result):
        if answer.done():
            return
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(result)

    api(request, callback)
    return await answer
