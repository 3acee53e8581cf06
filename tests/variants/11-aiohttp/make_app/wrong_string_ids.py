# Wrong: compares the id from the URL, a string, with the products' int ids: every product is "not found".
# Expected: 3
def make_app():
    async def all_products(request):
        return web.json_response(list(price_stats(PRODUCTS)))

    async def one_product(request):
        for stat in price_stats(PRODUCTS):
            if stat["id"] == request.match_info["id"]:
                return web.json_response(stat)
        raise web.HTTPNotFound()

    app = web.Application()
    app.router.add_get("/products", all_products)
    app.router.add_get("/products/{id}", one_product)
    return app
