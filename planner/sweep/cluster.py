"""Variants as tasks on a Dask distributed cluster.

By default an embedded `LocalCluster`: one worker process per core, one thread each, on
127.0.0.1, no fixed dashboard port. `scheduler="tcp://host:8786"` uses an existing cluster
instead. The base inputs, and the base plan every variant's solver starts from, are scattered
to every worker once (`broadcast`); each task carries only its variant's key and settings. A
worker that dies mid-task has its task run again elsewhere by the scheduler; a task that
keeps killing workers ends as a record with status `error`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from distributed import Client, Future, LocalCluster, as_completed

from planner.inputs.frozen import Inputs
from planner.pipeline import StartPlan
from planner.sweep.worker import VariantTask, plan_variant

OnRecord = Callable[[dict[str, Any]], None]


class Cluster:
    """A client with the base inputs on every worker."""

    def __init__(self, client: Client, inputs: Inputs) -> None:
        self.client = client
        self.workers = len(client.scheduler_info().get("workers", {}))
        [self.inputs] = client.scatter([inputs], broadcast=True, hash=False)
        self.start: Any = None

    def set_start(self, start: StartPlan | None) -> None:
        """The base plan every later task starts its solver from (shipped once per worker)."""
        self.start = None if start is None else client_scatter(self.client, start)

    def run(self, tasks: list[VariantTask], on_record: OnRecord) -> None:
        """Run every task; `on_record` gets each record as its task finishes (any order)."""
        by_future: dict[Future[Any], VariantTask] = {}
        for task in tasks:
            future = self.client.submit(
                plan_variant,
                self.inputs,
                self.start,
                task,
                key=f"variant-{task.key}",
                pure=False,
                retries=0,
            )
            by_future[future] = task
        for future in as_completed(list(by_future)):
            task = by_future[future]
            try:  # a result lost with its worker since is computed again: this waits for it
                record = future.result()
            except Exception:
                record = _failed(task, future)
            on_record(record)
            future.release()


def client_scatter(client: Client, value: Any) -> Any:
    """`value` on every worker, as a future (sent once per worker, not once per task)."""
    [future] = client.scatter([value], broadcast=True, hash=False)
    return future


def _failed(task: VariantTask, future: Future[Any]) -> dict[str, Any]:
    try:
        exc = future.exception()
    except Exception as inner:  # the future itself was lost (scheduler gone, cancelled)
        exc = inner
    return {
        "key": task.key,
        "status": "error",
        "message": f"the task failed on the cluster: {type(exc).__name__}: {exc}",
        "run": {"seconds": {}, "pid": None},
    }


@contextmanager
def cluster(
    inputs: Inputs, scheduler: str | None = None, workers: int | None = None
) -> Iterator[Cluster]:
    """The embedded local cluster (or a client of `scheduler`) with the inputs shipped."""
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler is not None:
        with Client(scheduler, timeout="20s") as client:
            yield Cluster(client, inputs)
        return
    count = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # no fixed port: another cluster may hold it
            silence_logs=logging.ERROR,
        ) as local,
        Client(local) as client,
    ):
        client.wait_for_workers(count, timeout=120)
        yield Cluster(client, inputs)
