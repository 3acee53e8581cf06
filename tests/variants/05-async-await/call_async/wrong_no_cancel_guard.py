# Wrong: does not check the future before settling it, so an answer after a cancellation raises InvalidStateError in the loop.
# Expected: 6
async def call_async(api, request):
    future = asyncio.get_running_loop().create_future()

    def callback(error, result):
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    api(request, callback)
    return await future
