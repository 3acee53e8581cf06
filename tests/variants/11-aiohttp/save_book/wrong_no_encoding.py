# Wrong: open(path, "w") without encoding=: right where the locale is UTF-8, cp1252 or GBK (or an error) elsewhere.
# Expected: 6
async def save_book(chapters, path):
    def write():
        with open(path, "w") as out:
            out.write("".join(f"## {title}\n\n{text}\n\n" for title, text in chapters))

    await asyncio.to_thread(write)
