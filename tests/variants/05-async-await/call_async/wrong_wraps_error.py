# Wrong: raises a new exception built from the error instead of the API's own exception object.
# Expected: 5
async def call_async(api, request):
    future = asyncio.get_running_loop().create_future()

    def callback(error, result):
        if future.done():
            return
        if error is not None:
            future.set_exception(RuntimeError(f"API call failed: {error}"))
        else:
            future.set_result(result)

    api(request, callback)
    return await future
