# Wrong: submit always raises RuntimeError, so "submit after the block raises" holds and nothing else does.
# Expected: 0
class JobRunner:
    def __init__(self, workers, **settings):
        self.workers = workers

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        return False

    def submit(self, job, *args):
        raise RuntimeError("this JobRunner is closed")

    def progress(self):
        return None

    async def aclose(self):
        pass
