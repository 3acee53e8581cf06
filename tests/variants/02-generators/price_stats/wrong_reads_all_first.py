# Wrong: a generator, but it turns the input into a list first, reading every record at once.
# Expected: 3
def price_stats(products):
    products = list(products)
    for product in products:
        prices = product["price"]
        yield {**product, "max": max(prices), "min": min(prices),
               "avg": sum(prices) / len(prices)}
