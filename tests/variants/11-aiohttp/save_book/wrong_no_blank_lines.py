# Wrong: leaves out the blank lines: "## title", the text, then straight on to the next chapter.
# Expected: 5
async def save_book(chapters, path):
    text = "".join(f"## {title}\n{body}\n" for title, body in chapters)
    await asyncio.to_thread(Path(path).write_text, text, encoding="utf-8")
