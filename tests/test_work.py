"""autograder.work: demo workloads that process pools can import."""

import concurrent.futures
import multiprocessing

from autograder import work


def test_demo_work_runs_in_a_spawned_process_pool():
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        assert list(pool.map(work.count_primes, [10, 100])) == [4, 25]
        assert pool.submit(work.wait_io, 0, "done").result() == "done"
