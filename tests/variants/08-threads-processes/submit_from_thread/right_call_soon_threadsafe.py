# Right: call_soon_threadsafe starts each task on the loop's thread; a done callback completes a concurrent future.
# Expected: 5
def submit_from_thread(loop, coro_fn, args_list):
    futures = [concurrent.futures.Future() for _ in args_list]

    def start(args, future):
        task = loop.create_task(coro_fn(*args))
        task.add_done_callback(lambda done: future.set_result(done.result()))

    for args, future in zip(args_list, futures):
        loop.call_soon_threadsafe(start, args, future)
    return [future.result() for future in futures]
