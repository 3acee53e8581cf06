# Right: session.request("GET", ...), compares with HTTPStatus.OK, keyword arguments to text().
# Expected: 6
from http import HTTPStatus


async def fetch(session, url, errors):
    async with session.request("GET", url) as response:
        if response.status == HTTPStatus.OK:
            return await response.text(encoding="gbk", errors="ignore")
        errors.add(url)
        return None
