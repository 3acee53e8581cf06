# Wrong: adds the statistics to the input dicts themselves (as the old tutorial did).
# Expected: 3
def price_stats(products):
    for product in products:
        prices = product["price"]
        product["max"] = max(prices)
        product["min"] = min(prices)
        product["avg"] = sum(prices) / len(prices)
        yield product
