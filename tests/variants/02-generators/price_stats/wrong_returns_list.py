# Wrong: builds the whole list at once: not lazy, never ends on endless input.
# Expected: 3
def price_stats(products):
    result = []
    for product in products:
        prices = product["price"]
        result.append({**product, "max": max(prices), "min": min(prices),
                       "avg": sum(prices) / len(prices)})
    return result
