# Wrong: an unknown id answers 200 with null (dict.get's None) instead of 404.
# Expected: 5
def make_app():
    stats = {stat["id"]: stat for stat in price_stats(PRODUCTS)}

    async def all_products(request):
        return web.json_response(list(stats.values()))

    async def one_product(request):
        return web.json_response(stats.get(int(request.match_info["id"])))

    app = web.Application()
    app.router.add_get("/products", all_products)
    app.router.add_get(r"/products/{id:\d+}", one_product)
    return app
