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
SAMPLE_S = 0.1
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
    """(time, guest bytes, throttled state) every SAMPLE_S for @seconds."""
    rows = [(time.monotonic(), int(read("class1/file_bytes")), read("throttled_file"))]
    end = rows[0][0] + seconds
    while rows[-1][0] < end:
        time.sleep(SAMPLE_S)
        rows.append((time.monotonic(), int(read("class1/file_bytes")), read("throttled_file")))
        (t0, b0, _), (t1, b1, state) = rows[-2:]
        log.append(f"{label:6} {(b1 - b0) / (t1 - t0) / 1e6:8.2f} MB/s throttled={state}")
    return rows


def rate_between(rows, start, end):
    """Guest bytes/s from the last sample at or before @start to the first at or after @end."""
    t0, b0, _ = [r for r in rows if r[0] <= start][-1]
    t1, b1, _ = next(r for r in rows if r[0] >= end)
    return (b1 - b0) / (t1 - t0)


def secs(value):
    return "never" if value is None else f"{value:.2f} s"


def first_state(rows, state, since):
    return next((t - since for t, _, s in rows if s == state), None)


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

    free = rate_between(alone, alone[0][0], alone[-1][0])
    react = first_state(busy, "1", t_host)
    held = rate_between(busy, t_host + 1, t_host + 2)
    steady = rate_between(busy, busy[-1][0] - 2, busy[-1][0])
    release = first_state(after, "0", t_stop)
    freed = rate_between(after, after[-1][0] - 1, after[-1][0])
    figures = [
        f"work-conserving: alone {free / 1e6:.1f} MB/s (limit {LIMIT / 1e6:.1f})",
        f"work-conserving: throttled {secs(react)} after the host started, "
        f"guest at {held / 1e6:.3f} MB/s over the second after it",
        f"work-conserving: held at {steady / 1e6:.3f} MB/s beside the host (last 2 s)",
        f"work-conserving: released {secs(release)} after the host stopped (window {window_s} s), "
        f"then {freed / 1e6:.1f} MB/s",
    ]
    with open(os.environ.get("RATEWIN_FIGURES", "/tmp/job/figures.txt"), "a") as f:
        f.write("\n".join(figures) + "\n")
    print("\n".join(f"# {line}" for line in figures))
    # "drops to its limit within 1 s": the second after that is at the limit
    ok = free >= 5 * LIMIT and held <= 1.2 * LIMIT and abs(steady - LIMIT) <= 0.2 * LIMIT
    ok = ok and release is not None and release <= window_s + 2 * SAMPLE_S
    ok = ok and freed >= 5 * LIMIT
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
