# Wrong: waits on an asyncio.Event and keeps the answer in a dict: it works, but the future the exercise is about is missing.
# Expected: 6
async def call_async(api, request):
    answered = asyncio.Event()
    answer = {}

    def callback(error, result):
        answer["error"], answer["result"] = error, result
        answered.set()

    api(request, callback)
    await answered.wait()
    if answer["error"] is not None:
        raise answer["error"]
    return answer["result"]
