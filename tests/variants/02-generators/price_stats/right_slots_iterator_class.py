# Right: an iterator class with __slots__; each __next__ reads one record and builds a new dict.
# Expected: 6
class _PriceStats:
    __slots__ = ("_records",)

    def __init__(self, products):
        self._records = iter(products)

    def __iter__(self):
        return self

    def __next__(self):
        record = next(self._records)
        prices = record["price"]
        return {**record, "max": max(prices), "min": min(prices), "avg": sum(prices) / len(prices)}


def price_stats(products):
    return _PriceStats(products)
