# Right: class-based views (web.View), the statistics under a web.AppKey, a JSON body for the 404.
# Expected: 7
STATS_KEY = web.AppKey("stats", list)


class Products(web.View):
    async def get(self):
        return web.json_response(self.request.app[STATS_KEY])


class Product(web.View):
    async def get(self):
        wanted = self.request.match_info["id"]
        for stat in self.request.app[STATS_KEY]:
            if wanted.isdecimal() and stat["id"] == int(wanted):
                return web.json_response(stat)
        return web.json_response({"error": f"no product {wanted}"}, status=404)


def make_app():
    app = web.Application()
    app[STATS_KEY] = list(price_stats(PRODUCTS))
    app.router.add_view("/products", Products)
    app.router.add_view("/products/{id}", Product)
    return app
