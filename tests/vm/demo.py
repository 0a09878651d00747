#!/usr/bin/python3
"""make demo, inside the booted patched kernel: a guest job throttled only
while the host is busy.

A guest copy runs in class 1 (mode shared, limited to 2 MB/s while the host
is busy); an unconstrained host copy starts after 5 s and stops after 15 s.
Prints a table of both rates every second, then a summary, and writes the
same rows to the file named by its argument, for tests/vm/demo.gp to draw.
"""
import multiprocessing as mp
import os
import sys
import time

RW = "/sys/kernel/ratewin"
LIMIT = 2_000_000
CHUNK = b"\0" * 65536
PHASES = (("guest alone", 5), ("host busy", 10), ("host gone", 10))


def attr(name, value=None):
    with open(f"{RW}/{name}", "w" if value is not None else "r") as f:
        return f.write(str(value)) if value is not None else f.read().strip()


def copier(path, cls, counter, stop):
    """Writes 64 KiB at a time over a 16 MiB file, counting the bytes."""
    if cls:
        with open("/proc/self/ratewin_class", "w") as f:
            f.write(str(cls))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    off = 0
    while not stop.is_set():
        n = os.pwrite(fd, CHUNK, off)
        off = (off + n) % (16 << 20)
        with counter.get_lock():
            counter.value += n


def main(data):
    attr("class1/mode", "shared")
    attr("class1/file_rate", LIMIT)
    guest_bytes, host_bytes = mp.Value("q", 0), mp.Value("q", 0)
    guest_stop, host_stop = mp.Event(), mp.Event()
    guest = mp.Process(target=copier, args=("/tmp/demo-guest", 1, guest_bytes, guest_stop))
    host = mp.Process(target=copier, args=("/tmp/demo-host", 0, host_bytes, host_stop))

    print(f"guest job: class 1, mode shared, limited to {LIMIT / 1e6:.0f} MB/s "
          "while the host is busy")
    print(f"{'t(s)':>5} {'phase':12} {'guest MB/s':>11} {'host MB/s':>10} {'throttled':>9}")
    data.write("# t(s) guest_MB/s host_MB/s throttled\n")
    guest.start()
    rates = {name: [] for name, _ in PHASES}
    host_rates = []
    t, last = 0, (0, 0)
    for name, seconds in PHASES:
        if name == "host busy":
            host.start()
        if name == "host gone":
            host_stop.set()
            host.join()
        for _ in range(seconds):
            time.sleep(1)
            t += 1
            now = (guest_bytes.value, host_bytes.value)
            g, h = ((a - b) / 1e6 for a, b in zip(now, last))
            last = now
            rates[name].append(g)
            if name == "host busy":
                host_rates.append(h)
            throttled = attr("throttled_file")
            print(f"{t:5} {name:12} {g:11.2f} {h:10.1f} {throttled:>9}", flush=True)
            data.write(f"{t} {g:.3f} {h:.3f} {throttled}\n")
    guest_stop.set()
    guest.join()
    attr("class1/file_rate", 0)

    alone = sum(rates["guest alone"][1:]) / len(rates["guest alone"][1:])
    held = sum(rates["host busy"][2:]) / len(rates["host busy"][2:])
    host = sum(host_rates[1:]) / len(host_rates[1:])
    freed = max(rates["host gone"])
    print(f"\nAlone, the guest copied at {alone:.1f} MB/s: ratewin is work-conserving "
          f"and takes nothing from a job while nobody else needs the bandwidth. When "
          f"the host job started, the guest was held at {held:.2f} MB/s, its class's "
          f"limit of {LIMIT / 1e6:.0f} MB/s, leaving the host's copy {host:.0f} MB/s. "
          f"Once the host stopped and its traffic had left the "
          f"{int(attr('window_ms')) / 1000:.0f} s rate window, the guest was released "
          f"and climbed back to {freed:.1f} MB/s.")


if __name__ == "__main__":
    with open(sys.argv[1], "w") as out:
        main(out)
