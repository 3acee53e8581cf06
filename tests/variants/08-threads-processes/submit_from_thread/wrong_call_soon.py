# Wrong: schedules the tasks with loop.call_soon from the wrong thread (not thread-safe; debug mode raises).
# Expected: 0
def submit_from_thread(loop, coro_fn, args_list):
    futures = [concurrent.futures.Future() for _ in args_list]

    def start(args, future):
        task = loop.create_task(coro_fn(*args))
        task.add_done_callback(lambda done: future.set_result(done.result()))

    for args, future in zip(args_list, futures):
        loop.call_soon(start, args, future)
    return [future.result() for future in futures]
