"""autograder.work: demo workloads that process pools can import."""

import concurrent.futures
import os
import subprocess
import sys
import multiprocessing

from autograder import work


def test_demo_work_runs_in_a_spawned_process_pool():
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        assert list(pool.map(work.count_primes, [10, 100])) == [4, 25]
        assert pool.submit(work.wait_io, 0, "done").result() == "done"


def test_cores_available_counts_the_cores_this_process_may_use():
    assert work.cores_available() == len(os.sched_getaffinity(0))
    one_core = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
                "from autograder import work; print(work.cores_available()); print(work.conditions())")
    out = subprocess.run([sys.executable, "-c", one_core], capture_output=True, text=True, check=True).stdout
    count, line = out.splitlines()
    assert count == "1"
    assert line.startswith("1 core available to this process")
    if os.cpu_count() > 1:
        assert f"(the machine has {os.cpu_count()})" in line


def test_conditions_quote_the_load_average():
    load = os.getloadavg()[0]
    assert work.load_average() == load or abs(work.load_average() - load) < 1.0
    assert "load average" in work.conditions()
