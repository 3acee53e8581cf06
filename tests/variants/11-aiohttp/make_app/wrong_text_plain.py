# Wrong: web.Response(text=json.dumps(...)) is sent as text/plain, not application/json.
# Expected: 4
def make_app():
    stats = {stat["id"]: stat for stat in price_stats(PRODUCTS)}

    async def all_products(request):
        return web.Response(text=json.dumps(list(stats.values())))

    async def one_product(request):
        try:
            return web.Response(text=json.dumps(stats[int(request.match_info["id"])]))
        except (ValueError, KeyError):
            raise web.HTTPNotFound() from None

    app = web.Application()
    app.router.add_get("/products", all_products)
    app.router.add_get("/products/{id}", one_product)
    return app
