# Wrong: catches every exception, not only the generator's end, so an error raised inside
# the generator is swallowed and drain returns the values it had so far.
# Expected: 5
def drain(gen):
    values = []
    while True:
        try:
            values.append(next(gen))
        except Exception as exc:
            return values, getattr(exc, "value", None)
