# Wrong: no future; polls a box every 10 ms, so it returns up to 10 ms late.
# Expected: 5
async def call_async(api, request):
    box = {}

    def callback(error, result):
        box["error"], box["result"] = error, result

    api(request, callback)
    while not box:
        await asyncio.sleep(0.01)
    if box["error"] is not None:
        raise box["error"]
    return box["result"]
