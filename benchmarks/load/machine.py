"""What the machine was doing during the run: its load average, and the CPU
time the service (gunicorn, Caddy, the database's backends), Locust and
everything else used. On a machine shared with other work, a slow page can be
the page or the queue for a core; these figures tell which.
"""

import os
import threading
import time

import psutil


def _busy(times):
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


class Monitor(threading.Thread):
    """Samples every `interval` seconds until stopped. `groups` maps a label
    to a function returning that group's processes now; a process's CPU time
    is counted from the first time it is seen (or from the start, for those
    already running), and kept after it exits (gunicorn recycles workers)."""

    def __init__(self, groups, interval=2.0):
        super().__init__(daemon=True)
        self.groups, self.interval = groups, interval
        self.loads, self.cpu = [], {label: {} for label in groups}
        self.baseline = {}
        self._stop_event = threading.Event()

    def start(self):
        self.load_before = os.getloadavg()
        self.machine_before = _busy(psutil.cpu_times())
        self.started = time.monotonic()
        for label in self.groups:
            for process, used in self._used(label):
                self.baseline[(label, process.pid)] = used
        super().start()

    def run(self):
        while not self._stop_event.wait(self.interval):
            self.sample()

    def _used(self, label):
        try:
            processes = self.groups[label]()
        except psutil.Error:
            return []
        found = []
        for process in processes:
            try:
                times = process.cpu_times()
                found.append((process, times.user + times.system))
            except psutil.Error:
                pass
        return found

    def sample(self):
        self.loads.append(os.getloadavg()[0])
        for label in self.groups:
            for process, used in self._used(label):
                start = self.baseline.get((label, process.pid), 0.0)
                self.cpu[label][process.pid] = max(self.cpu[label].get(process.pid, 0.0), used - start)

    def stop(self):
        self.sample()
        self._stop_event.set()
        self.join()
        self.seconds = time.monotonic() - self.started
        self.machine_busy = _busy(psutil.cpu_times()) - self.machine_before
        self.load_after = os.getloadavg()

    def report(self):
        """Lines describing the machine during the run."""
        cores = psutil.cpu_count()
        ours = {label: sum(by_pid.values()) for label, by_pid in self.cpu.items()}
        others = max(0.0, self.machine_busy - sum(ours.values()))
        capacity = cores * self.seconds
        lines = [
            f"Machine: {cores} cores; load average (1, 5, 15 min) before {_loads(self.load_before)}, "
            f"after {_loads(self.load_after)}",
        ]
        if self.loads:
            lines.append(
                f"Load average (1 min) during the run: min {min(self.loads):.2f}, "
                f"mean {sum(self.loads) / len(self.loads):.2f}, max {max(self.loads):.2f} "
                f"({len(self.loads)} samples)"
            )
        share = ", ".join(f"{label} {seconds:,.0f} s" for label, seconds in ours.items())
        lines.append(
            f"CPU over {self.seconds:,.0f} s ({capacity:,.0f} core-seconds available): {share}, "
            f"everything else on the machine {others:,.0f} s; busy {self.machine_busy / capacity:.0%}"
        )
        return lines


def _loads(values):
    return ", ".join(f"{v:.2f}" for v in values)


def process_tree(pid):
    def find():
        parent = psutil.Process(pid)
        return [parent] + parent.children(recursive=True)

    return find


def database_backends(name):
    """PostgreSQL's server processes serving database `name` (their titles
    read 'postgres: ... user name host(port) state')."""

    def find():
        found = []
        for process in psutil.process_iter(["cmdline"]):
            title = " ".join(process.info["cmdline"] or [])
            if title.startswith("postgres:") and f" {name} " in title:
                found.append(process)
        return found

    return find
