# Right: a generator expression that copies each record and updates the copy.
# Expected: 6
def _stats(prices):
    return {"max": max(prices), "min": min(prices), "avg": sum(prices) / len(prices)}


def price_stats(products):
    return (product.copy() | _stats(product["price"]) for product in products)
