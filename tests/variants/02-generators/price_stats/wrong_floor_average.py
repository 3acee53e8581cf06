# Wrong: floor division // gives 61 instead of 61.25.
# Expected: 4
def price_stats(products):
    for product in products:
        prices = product["price"]
        yield {**product, "max": max(prices), "min": min(prices),
               "avg": sum(prices) // len(prices)}
