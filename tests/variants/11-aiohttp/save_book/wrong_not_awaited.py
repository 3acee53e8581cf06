# Wrong: the seeds' run_in_executor without await: save_book returns before the file is written.
# Expected: 6
async def save_book(chapters, path):
    def write():
        with open(path, "w", encoding="utf-8") as out:
            for title, text in chapters:
                out.write(f"## {title}\n\n{text}\n\n")

    asyncio.get_running_loop().run_in_executor(None, write)
