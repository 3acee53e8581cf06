# Right: its own one-thread pool, writing line by line with print().
# Expected: 8
from concurrent.futures import ThreadPoolExecutor


def write_markdown(chapters, path):
    with open(path, "w", encoding="utf-8") as out:
        for title, text in chapters:
            print(f"## {title}", "", text, "", sep="\n", file=out)


async def save_book(chapters, path):
    with ThreadPoolExecutor(max_workers=1) as pool:
        await asyncio.get_running_loop().run_in_executor(pool, write_markdown, chapters, path)
