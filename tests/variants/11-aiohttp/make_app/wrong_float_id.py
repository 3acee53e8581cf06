# Wrong: int(float(id)) reads /products/2344.0 as product 2344: ids are whole numbers, so that is a 404.
# Expected: 6
def make_app():
    by_id = {product["id"]: product for product in price_stats(PRODUCTS)}

    async def all_products(request):
        return web.json_response(list(by_id.values()))

    async def one_product(request):
        try:
            return web.json_response(by_id[int(float(request.match_info["id"]))])
        except (ValueError, KeyError):
            raise web.HTTPNotFound() from None

    app = web.Application()
    app.add_routes([web.get("/products", all_products), web.get("/products/{id}", one_product)])
    return app
