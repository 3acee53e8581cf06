# Wrong: writes in a worker thread but never closes the file: the garbage collector closes it (a ResourceWarning).
# Expected: 7
async def save_book(chapters, path):
    text = "".join(f"## {title}\n\n{body}\n\n" for title, body in chapters)

    def write():
        book_file = open(path, "w", encoding="utf-8")
        book_file.write(text)

    await asyncio.to_thread(write)
