# Right: keeps every value and yields statistics.fmean of them.
# Expected: 7
import statistics


def averager():
    values = []
    term = yield None
    while term is not None:
        values.append(term)
        term = yield statistics.fmean(values)
    return Result(len(values), statistics.fmean(values) if values else None)
