# Wrong: a plain open() and write() in the coroutine: the event loop's thread blocks on the file.
# Expected: 5
async def save_book(chapters, path):
    with open(path, "w", encoding="utf-8") as out:
        for title, text in chapters:
            out.write(f"## {title}\n\n{text}\n\n")
