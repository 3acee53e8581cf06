# Wrong: writes the book in GBK, as the seed did, instead of UTF-8.
# Expected: 4
async def save_book(chapters, path):
    def write():
        with open(path, "w", encoding="gbk") as out:
            for title, text in chapters:
                out.write(f"## {title}\n\n{text}\n\n")

    await asyncio.to_thread(write)
