"""`make lab` serves the course: it prints the start notebook's URL, the API lists the notebooks,
a kernel runs course code, and nbgrader's Formgrader and Assignment List find the exchange."""

from __future__ import annotations

import asyncio
import json
import uuid

import aiohttp
import pytest

import labserver
from conftest import LESSONS, ROOT


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with labserver.running(ROOT, tmp_path_factory.mktemp("lab")) as lab:
        yield lab.base, lab.token, lab


async def get_json(session, url):
    async with session.get(url) as response:
        assert response.status == 200, url
        return await response.json()


def test_lab_lists_the_lessons(lab):
    base, token, _ = lab

    async def main():
        headers = {"Authorization": f"token {token}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            listing = await get_json(session, f"{base}/api/contents/notebooks")
            async with session.get(f"{base}/lab") as response:
                page = await response.text()
            return {item["name"] for item in listing["content"]}, page

    names, page = asyncio.run(main())
    assert {p.name for p in LESSONS} <= names
    assert "JupyterLab" in page


def test_a_kernel_runs_course_code(lab):
    base, token, _ = lab
    code = "import asyncio\nfrom autograder import vtime\nprint(vtime.run(asyncio.sleep, 2).elapsed)"

    async def main():
        headers = {"Authorization": f"token {token}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            async with session.post(f"{base}/api/kernels", json={"name": "python3"}) as response:
                kernel = await response.json()
            try:
                async with session.ws_connect(f"{base}/api/kernels/{kernel['id']}/channels") as ws:
                    return await execute(ws, code)
            finally:
                await session.delete(f"{base}/api/kernels/{kernel['id']}")

    assert asyncio.run(asyncio.wait_for(main(), 60)) == "2.0\n"


def test_headless_lab_prints_the_start_notebooks_url_with_its_token(lab):
    base, token, server = lab
    want = f"{base}/lab/tree/notebooks/00-start-here.ipynb?token={token}"
    assert want in server.printed_urls(), f"expected {want} in the log, got {server.printed_urls()}"


def test_the_file_browser_hides_the_egg_info_folder(lab):
    base, token, _ = lab
    on_disk = [p.name for p in ROOT.glob("*.egg-info")]
    assert on_disk, "no *.egg-info in the course folder: nothing to hide, the test proves nothing"

    async def main():
        async with aiohttp.ClientSession(headers={"Authorization": f"token {token}"}) as session:
            return await get_json(session, f"{base}/api/contents")

    shown = {item["name"] for item in asyncio.run(main())["content"]}
    assert "notebooks" in shown and not shown & set(on_disk), f"the file browser shows {sorted(shown)}"


def test_the_formgrader_and_the_assignment_list_find_the_exchange(lab):
    base, token, _ = lab

    async def main():
        async with aiohttp.ClientSession(headers={"Authorization": f"token {token}"}) as session:
            async with session.get(f"{base}/formgrader/manage_assignments") as response:
                assert response.status == 200
                formgrader = await response.text()
            async with session.get(f"{base}/courses") as response:  # JSON, sent as text/html
                courses = json.loads(await response.text())
        return formgrader, courses

    formgrader, courses = asyncio.run(main())
    assert "Manage Assignments" in formgrader and "does not exist" not in formgrader, \
        "the Formgrader says the exchange does not exist"
    assert courses["success"], f"the Assignment List's /courses failed: {courses['value']}"


async def execute(ws, code: str) -> str:
    msg_id = uuid.uuid4().hex
    await ws.send_str(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                   "session": uuid.uuid4().hex, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False},
    }))
    printed = ""
    async for message in ws:
        msg = json.loads(message.data)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "stream":
            printed += msg["content"]["text"]
        elif kind == "error":
            raise AssertionError("\n".join(msg["content"]["traceback"]))
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            return printed
    raise AssertionError("the kernel's channel closed before the cell finished")
