# Right: map() is lazy too; dict(product, ...) copies the record; fmean is sum / len.
# Expected: 6
import statistics


def _with_stats(product):
    prices = product["price"]
    return dict(product, max=max(prices), min=min(prices), avg=statistics.fmean(prices))


def price_stats(products):
    return map(_with_stats, products)
