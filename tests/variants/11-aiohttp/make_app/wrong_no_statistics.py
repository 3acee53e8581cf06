# Wrong: serves PRODUCTS as they are, without the max, min and avg of chapter 02's price_stats.
# Expected: 2
def make_app():
    by_id = {product["id"]: product for product in PRODUCTS}

    async def all_products(request):
        return web.json_response(PRODUCTS)

    async def one_product(request):
        try:
            return web.json_response(by_id[int(request.match_info["id"])])
        except (ValueError, KeyError):
            raise web.HTTPNotFound() from None

    app = web.Application()
    app.router.add_get("/products", all_products)
    app.router.add_get("/products/{id}", one_product)
    return app
