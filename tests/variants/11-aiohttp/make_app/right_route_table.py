# Right: a RouteTableDef, an {id:\d+} route (so "abc" matches no route: 404), and HTTPNotFound for an unknown id.
# Expected: 7
routes = web.RouteTableDef()


@routes.get("/products")
async def list_products(request):
    return web.json_response(list(price_stats(PRODUCTS)))


@routes.get(r"/products/{id:\d+}")
async def show_product(request):
    wanted = int(request.match_info["id"])
    for stat in price_stats(PRODUCTS):
        if stat["id"] == wanted:
            return web.json_response(stat)
    raise web.HTTPNotFound(text="no such product")


def make_app():
    app = web.Application()
    app.add_routes(routes)
    return app
