# Right: an atomic save: a temporary file in the same folder, written in a worker thread, then os.replace onto path.
# Expected: 8
import tempfile


def write_atomically(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as out:
        out.write(text)
    os.replace(out.name, path)


async def save_book(chapters, path):
    text = "".join(f"## {title}\n\n{body}\n\n" for title, body in chapters)
    await asyncio.to_thread(write_atomically, path, text)
