"""Run a command while sampling the memory of its process tree (shared by the refresh benchmarks).

psutil lists the command's process and all its descendants every `interval` seconds and sums
their RSS (or PSS, which counts shared pages once but costs enough CPU to slow what it measures).
"""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass(frozen=True)
class SampledRun:
    out: str
    err: str
    returncode: int
    wall_seconds: float
    main_peak_bytes: int  # the command's own process
    tree_peak_bytes: int  # the sum over the command and its descendants, at its highest


def run_sampled(command: list[str], *, env: dict[str, str], cwd: Path, interval: float = 0.05,
                pss: bool = False) -> SampledRun:
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    peaks = {"main": 0, "tree": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
            except psutil.Error:
                time.sleep(0.01)
                continue  # a process ended while the tree was listed: sample again
            total = 0
            for member in tree:
                try:
                    used = member.memory_full_info().pss if pss else member.memory_info().rss
                except psutil.Error:
                    continue
                total += used
                if member.pid == process.pid:
                    peaks["main"] = max(peaks["main"], used)
            peaks["tree"] = max(peaks["tree"], total)
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    return SampledRun(out, err, process.returncode, wall, peaks["main"], peaks["tree"])
