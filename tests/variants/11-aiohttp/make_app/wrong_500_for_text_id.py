# Wrong: int() of an id that is not a number raises ValueError, which aiohttp answers with 500, not 404.
# Expected: 5
def make_app():
    stats = {stat["id"]: stat for stat in price_stats(PRODUCTS)}

    async def all_products(request):
        return web.json_response(list(stats.values()))

    async def one_product(request):
        product_id = int(request.match_info["id"])
        if product_id not in stats:
            raise web.HTTPNotFound()
        return web.json_response(stats[product_id])

    app = web.Application()
    app.router.add_get("/products", all_products)
    app.router.add_get("/products/{id}", one_product)
    return app
