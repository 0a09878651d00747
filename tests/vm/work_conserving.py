#!/usr/bin/python3
"""Work conservation, in the booted patched kernel.

A guest job in class 1 (mode shared, 1 MB/s) copies data alone, then beside
an unconstrained host job that pushes far more than file_thresh_high, then
alone again. The guest must run free while alone (at least 5x its limit),
drop to its limit within 1 s of the host starting, and be released within
one window (window_ms) of the host stopping.

Prints the per-interval rates and the figures; exits 0 when all holds.
"""
import os
import signal
import sys
import time

RW = "/sys/kernel/ratewin"
LIMIT = 1_000_000
SAMPLE_S = 0.25
SCRATCH = "/tmp/work_conserving"


def read(attr):
    with open(f"{RW}/{attr}") as f:
        return f.read().strip()


def write(attr, value):
    with open(f"{RW}/{attr}", "w") as f:
        f.write(str(value))


def writer(path, cls):
    """A child that rewrites a 32 MiB file forever, 64 KiB at a time.

    A forked child starts writing at once; an exec'd tool would spend seconds
    starting up under TCG and blur the reaction times measured here.
    """
    pid = os.fork()
    if pid:
        return pid
    try:
        if cls:
            with open("/proc/self/ratewin_class", "w") as f:
                f.write(str(cls))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        chunk, off = b"\0" * 65536, 0
        while True:
            off = (off + os.pwrite(fd, chunk, off)) % (32 << 20)
    finally:
        os._exit(1)


def stop(pid):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def sample(seconds, label, log):
    """Guest bytes/s and throttled state, every SAMPLE_S for @seconds."""
    rows = []
    last_t, last_b = time.monotonic(), int(read("class1/file_bytes"))
    end = last_t + seconds
    while last_t < end:
        time.sleep(SAMPLE_S)
        t, b = time.monotonic(), int(read("class1/file_bytes"))
        rows.append((t, (b - last_b) / (t - last_t), read("throttled_file")))
        log.append(f"{label:6} {rows[-1][1] / 1e6:8.2f} MB/s throttled={rows[-1][2]}")
        last_t, last_b = t, b
    return rows


def main():
    os.makedirs(SCRATCH, exist_ok=True)
    window_s = int(read("window_ms")) / 1000
    write("class1/mode", "shared")
    write("class1/file_rate", LIMIT)
    log, ok = [], True
    guest = writer(f"{SCRATCH}/guest", 1)
    try:
        alone = sample(3, "alone", log)
        host = writer(f"{SCRATCH}/host", 0)
        t_host = time.monotonic()
        busy = sample(4, "host", log)
        stop(host)
        t_stop = time.monotonic()
        after = sample(window_s + 3, "after", log)
    finally:
        stop(guest)
        write("class1/file_rate", 0)
    print("\n".join(f"# {line}" for line in log))

    free = min(r for _, r, _ in alone)
    held = [t for t, r, s in busy if r <= 1.2 * LIMIT and s == "1"]
    react = held[0] - t_host if held else None
    steady = busy[-8:]
    steady_rate = sum(r for _, r, _ in steady) / len(steady)
    freed = [t for t, r, s in after if s == "0" and r > 5 * LIMIT]
    release = freed[0] - t_stop if freed else None
    figures = [
        f"work-conserving: alone {free / 1e6:.1f} MB/s (limit {LIMIT / 1e6:.1f})",
        f"work-conserving: throttled within {react} s of the host starting" if react is None
        else f"work-conserving: throttled within {react:.2f} s of the host starting",
        f"work-conserving: held at {steady_rate / 1e6:.3f} MB/s beside the host",
        f"work-conserving: released {release} s after the host stopped" if release is None
        else f"work-conserving: released {release:.2f} s after the host stopped (window {window_s} s)",
    ]
    with open(os.environ.get("RATEWIN_FIGURES", "/tmp/job/figures.txt"), "a") as f:
        f.write("\n".join(figures) + "\n")
    print("\n".join(f"# {line}" for line in figures))
    ok = free >= 5 * LIMIT and react is not None and react <= 1.0
    ok = ok and abs(steady_rate - LIMIT) <= 0.2 * LIMIT
    ok = ok and release is not None and release <= window_s + SAMPLE_S * 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
