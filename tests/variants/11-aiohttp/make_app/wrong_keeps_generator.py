# Wrong: keeps price_stats(PRODUCTS), a generator, for the list: the first GET /products uses it up, the second answers [].
# Expected: 5
def make_app():
    stats = price_stats(PRODUCTS)

    async def all_products(request):
        return web.json_response(list(stats))

    async def one_product(request):
        wanted = request.match_info["id"]
        for product in price_stats(PRODUCTS):
            if wanted.isdigit() and product["id"] == int(wanted):
                return web.json_response(product)
        raise web.HTTPNotFound()

    app = web.Application()
    app.router.add_get("/products", all_products)
    app.router.add_get("/products/{id}", one_product)
    return app
