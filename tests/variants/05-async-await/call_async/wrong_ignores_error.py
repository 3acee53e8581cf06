# Wrong: always settles the future with the result, so a failed call quietly returns None.
# Expected: 5
async def call_async(api, request):
    future = asyncio.get_running_loop().create_future()

    def callback(error, result):
        if not future.done():
            future.set_result(result)

    api(request, callback)
    return await future
