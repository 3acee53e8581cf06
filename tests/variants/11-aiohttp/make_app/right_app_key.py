# Right: the statistics kept on the app under a web.AppKey; json.dumps with an explicit content_type; 404 returned, not raised.
# Expected: 7
STATS_BY_ID = web.AppKey("stats_by_id", dict)


async def products(request):
    body = json.dumps(list(request.app[STATS_BY_ID].values()))
    return web.Response(text=body, content_type="application/json")


async def product(request):
    key = request.match_info["id"]
    stat = request.app[STATS_BY_ID].get(int(key)) if key.isdigit() else None
    if stat is None:
        return web.Response(status=404, text="not found")
    return web.Response(text=json.dumps(stat), content_type="application/json")


def make_app():
    app = web.Application()
    app[STATS_BY_ID] = {stat["id"]: stat for stat in price_stats(PRODUCTS)}
    app.add_routes([web.get("/products", products), web.get("/products/{id}", product)])
    return app
