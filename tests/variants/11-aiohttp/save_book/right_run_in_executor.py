# Right: awaits loop.run_in_executor(None, ...) with Path.write_text from functools.partial.
# Expected: 8
async def save_book(chapters, path):
    markdown = "".join(f"## {title}\n\n{text}\n\n" for title, text in chapters)
    write = functools.partial(Path(path).write_text, markdown, encoding="utf-8")
    await asyncio.get_running_loop().run_in_executor(None, write)
