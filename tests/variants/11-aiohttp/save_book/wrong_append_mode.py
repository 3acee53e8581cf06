# Wrong: opens the file with "a" (as the seeds' "a+"), so a second save appends to the first book.
# Expected: 6
async def save_book(chapters, path):
    def write():
        with open(path, "a", encoding="utf-8") as out:
            for title, text in chapters:
                out.write(f"## {title}\n\n{text}\n\n")

    await asyncio.to_thread(write)
