"""`make lab` serves the course: the API lists the notebooks and a kernel runs course code."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import uuid

import aiohttp
import pytest

from conftest import LESSONS, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_TOKEN=token)
    process = subprocess.Popen(
        ["make", "-s", "lab", "NO_BROWSER=1", f"PORT={port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("JupyterLab did not start listening within 60 s")
        yield base, token
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


async def get_json(session, url):
    async with session.get(url) as response:
        assert response.status == 200, url
        return await response.json()


def test_lab_lists_the_lessons(lab):
    base, token = lab

    async def main():
        headers = {"Authorization": f"token {token}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            for _ in range(100):  # the server may answer before its API is ready
                async with session.get(f"{base}/api/status") as response:
                    if response.status == 200:
                        break
                await asyncio.sleep(0.1)
            listing = await get_json(session, f"{base}/api/contents/notebooks")
            async with session.get(f"{base}/lab") as response:
                page = await response.text()
            return {item["name"] for item in listing["content"]}, page

    names, page = asyncio.run(main())
    assert {p.name for p in LESSONS} <= names
    assert "JupyterLab" in page


def test_a_kernel_runs_course_code(lab):
    base, token = lab
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
