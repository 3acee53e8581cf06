# Wrong: JobRunner is an object that claims to equal everything, whatever it is asked.
# Expected: 0
class _Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = object.__hash__
    def __call__(self, *args, **kwargs): return self
    def __getattr__(self, name): return self
    def __iter__(self): return iter(())
    def __await__(self): return self; yield
    async def __aenter__(self): return self
    async def __aexit__(self, *exc): return False


JobRunner = _Anything()
