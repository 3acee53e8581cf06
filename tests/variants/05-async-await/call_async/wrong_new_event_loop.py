# Wrong: makes the future on a new event loop, not the running one; awaiting it fails.
# Expected: 0
async def call_async(api, request):
    future = asyncio.new_event_loop().create_future()

    def callback(error, result):
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    api(request, callback)
    return await future
