"""autograder.buffers: scenarios tell a right bounded buffer from wrong ones; parts and
waits_on_condition tell what it is built on, however it keeps its objects."""

from __future__ import annotations

import asyncio
import collections
from dataclasses import dataclass, field

import pytest

from autograder import buffers, vtime


class ConditionBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = collections.deque()
        self.changed = asyncio.Condition()

    async def put(self, item):
        async with self.changed:
            await self.changed.wait_for(lambda: len(self.items) < self.capacity)
            self.items.append(item)
            self.changed.notify_all()

    async def get(self):
        async with self.changed:
            await self.changed.wait_for(lambda: self.items)
            item = self.items.popleft()
            self.changed.notify_all()
            return item


class SlotsBuffer(ConditionBuffer):
    __slots__ = ("capacity", "items", "changed")


@dataclass(slots=True)
class DataclassBuffer:
    capacity: int
    items: collections.deque = field(default_factory=collections.deque)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    put = ConditionBuffer.put
    get = ConditionBuffer.get


class IfNotWhile(ConditionBuffer):
    async def get(self):
        async with self.changed:
            if not self.items:
                await self.changed.wait()
            item = self.items.popleft()
            self.changed.notify_all()
            return item


class QueueOneLevelDown:
    def __init__(self, capacity):
        self.changed = asyncio.Condition()  # never used
        self.parts = [asyncio.Queue(capacity)]

    async def put(self, item):
        await self.parts[0].put(item)

    async def get(self):
        return await self.parts[0].get()


class ModuleCondition(ConditionBuffer):
    """Waits on a condition it does not keep."""

    def __init__(self, capacity):
        super().__init__(capacity)
        self.changed = asyncio.Condition()
        shared = self.changed
        del self.changed
        self.put = lambda item, shared=shared: ConditionBuffer.put(self._with(shared), item)
        self.get = lambda shared=shared: ConditionBuffer.get(self._with(shared))

    def _with(self, condition):
        view = ConditionBuffer.__new__(ConditionBuffer)
        view.capacity, view.items, view.changed = self.capacity, self.items, condition
        return view


@pytest.mark.parametrize("cls", [ConditionBuffer, SlotsBuffer, DataclassBuffer])
def test_a_right_buffer_passes_every_scenario_and_waits_on_its_condition(cls):
    assert vtime.run(buffers.fill_then_empty, cls, 3, ["a", None, 0]).result == ["a", None, 0]
    items = [3, "x", None, (1, 2)]
    assert vtime.run(buffers.produce_consume, cls, 2, items, 0.5, 1.3).result == items
    assert vtime.run(buffers.full_buffer, cls).result == ([0, 0, 3, 4, 5], [(i, 3 + i) for i in range(5)])
    assert vtime.run(buffers.full_buffer, cls, 1, 3).result == ([0, 3, 4], [(i, 3 + i) for i in range(3)])
    assert vtime.run(buffers.empty_buffer, cls).result == [("a", 2), ("b", 5)]
    assert vtime.run(buffers.two_getters_one_item, cls).result == {("x", 1), ("y", 2)}
    assert vtime.run(buffers.item_taken_first, cls).result == {("x", 1), ("y", 2)}
    assert vtime.run(buffers.room_taken_first, cls).result == ("a", [1, 2], ["m", "w"])
    out = vtime.run(buffers.crowd, cls, 1, 3, 2).result
    assert sorted(out) == [(p, i) for p in range(3) for i in range(5)]
    assert vtime.run(buffers.waits_on_condition, cls).result == {
        "put": "a Condition of the buffer", "get": "a Condition of the buffer"}


def test_parts_finds_slots_dataclass_fields_and_objects_one_level_down():
    async def kinds(cls):
        return [type(part).__name__ for part in buffers.parts(cls(2))]

    assert "Condition" in vtime.run(kinds, SlotsBuffer).result
    assert "Condition" in vtime.run(kinds, DataclassBuffer).result
    assert "Queue" in vtime.run(kinds, QueueOneLevelDown).result


def test_a_woken_task_that_does_not_check_again_fails_the_recheck_scenario():
    got = vtime.run(buffers.item_taken_first, IfNotWhile).result
    assert any(isinstance(result, IndexError) for result, _ in got), got


def test_an_unused_condition_beside_a_queue_is_seen_not_to_be_waited_on():
    assert vtime.run(buffers.waits_on_condition, QueueOneLevelDown).result == {
        "put": "no Condition", "get": "no Condition"}


def test_a_condition_the_buffer_does_not_keep_is_told_apart():
    assert vtime.run(buffers.waits_on_condition, ModuleCondition).result == {
        "put": "a Condition the buffer does not keep", "get": "a Condition the buffer does not keep"}


def test_the_condition_class_is_restored_after_noting_waits():
    original = asyncio.Condition.wait
    vtime.run(buffers.waits_on_condition, ConditionBuffer)
    assert asyncio.Condition.wait is original


def test_condition_problem_is_empty_for_a_right_buffer_and_names_the_wrong_ones():
    for cls in (ConditionBuffer, SlotsBuffer, DataclassBuffer):
        assert vtime.run(buffers.condition_problem, cls).result == ""
    said = vtime.run(buffers.condition_problem, QueueOneLevelDown).result
    assert "built on an asyncio.Queue (it keeps: Queue)" in said and "put waited in: no Condition" in said
    said = vtime.run(buffers.condition_problem, ModuleCondition).result
    assert "a Condition the buffer does not keep" in said


def test_a_buffer_that_is_a_queue_is_named():
    class QueueBuffer(asyncio.Queue):
        pass

    assert "QueueBuffer" in vtime.run(buffers.condition_problem, QueueBuffer).result


class NotifyOneShared(ConditionBuffer):
    """One condition for both kinds, notify() wakes one waiter, maybe of the wrong kind."""

    async def put(self, item):
        async with self.changed:
            while len(self.items) >= self.capacity:
                await self.changed.wait()
            self.items.append(item)
            self.changed.notify()

    async def get(self):
        async with self.changed:
            while not self.items:
                await self.changed.wait()
            item = self.items.popleft()
            self.changed.notify()
            return item


def test_a_stuck_crowd_says_so():
    stuck = []
    for shape in ((1, 2, 2), (1, 3, 1), (1, 1, 3), (1, 3, 3), (2, 3, 3)):
        try:
            vtime.run(buffers.crowd, NotifyOneShared, *shape)
        except AssertionError as exc:
            assert "stuck" in str(exc) and "whom does notify() wake?" in str(exc)
            stuck.append(shape)
    assert stuck, "notify() with one shared condition should get some crowd stuck"
