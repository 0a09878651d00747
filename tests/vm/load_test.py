#!/usr/bin/env python3
"""Faults and load: RATEWIN_LOAD_PROCS (256) processes in class 1 doing
mixed file and socket I/O for RATEWIN_LOAD_SECONDS (60) while, every
100 ms, the limits, modes and hysteresis change and a member moves between
classes 1 and 2, and every second a random member is killed with SIGKILL.
Every block a member moves is checked against its SHA-256. Afterwards
every survivor must exit cleanly and on time, and class 1 must still hold
its rate. Prints '# ' lines and a last line of JSON; exits 1 on failure.

Usage: load_test.py SCRATCH_DIR
"""
import gc
import hashlib
import json
import os
import random
import signal
import socket
import sys
import time
import traceback

RW = "/sys/kernel/ratewin"
PROCS = int(os.environ.get("RATEWIN_LOAD_PROCS", "256"))
SECONDS = float(os.environ.get("RATEWIN_LOAD_SECONDS", "60"))
EXIT_TIMEOUT = 60
SIZES = (512, 4096, 65536, 200000)
CHUNK = 32768   # under a loopback TCP socket's buffer, so one process can do both ends


def put(path, value):
    """Write a value; the kernel may refuse it (a racing member has exited,
    a threshold is out of order for a moment): that is part of the test."""
    try:
        with open(path, "w") as f:
            f.write(str(value))
        return True
    except OSError:
        return False


def recv_exact(sock, n):
    parts = []
    while n:
        part = sock.recv(n)
        if not part:
            raise EOFError
        parts.append(part)
        n -= len(part)
    return b"".join(parts)


def move_block(kind, path, block):
    """Move a block through a file or a socket and return what came back."""
    if kind == "file":
        with open(path, "wb") as f:
            f.write(block)
        with open(path, "rb") as f:
            return f.read()
    with socket.create_server(("127.0.0.1", 0)) as srv:
        a = socket.create_connection(srv.getsockname())
        b, _ = srv.accept()
    with a, b:
        back = []
        for off in range(0, len(block), CHUNK):
            a.sendall(block[off:off + CHUNK])
            back.append(recv_exact(b, len(block[off:off + CHUNK])))
        return b"".join(back)


def member(i, scratch, go):
    """One member: join class 1, wait for the others, move random blocks for
    SECONDS, check each, and leave the bytes verified in a file for the
    parent."""
    put("/proc/self/ratewin_class", 1)
    os.read(go, 1)
    deadline = time.monotonic() + SECONDS
    rnd = random.Random(i)
    kind = "file" if i % 2 == 0 else "net"
    verified = 0
    while time.monotonic() < deadline:
        block = rnd.randbytes(rnd.choice(SIZES))
        back = move_block(kind, f"{scratch}/m{i}", block)
        if hashlib.sha256(back).digest() != hashlib.sha256(block).digest():
            os._exit(3)
        verified += len(block)
    with open(f"{scratch}/v{i}", "w") as f:
        f.write(f"{kind} {verified}\n")
    os._exit(0)


RATES = (1024, 65536, 1 << 20, 8 << 20, 0)


def churn(rnd, live):
    """One change of the kind a busy administrator (or ratectl) makes."""
    what = rnd.randrange(6)
    if what == 0:
        put(f"{RW}/class{rnd.choice((1, 2))}/file_rate", rnd.choice(RATES))
    elif what == 1:
        put(f"{RW}/class{rnd.choice((1, 2))}/net_rate", rnd.choice(RATES))
    elif what == 2:
        put(f"{RW}/class{rnd.choice((1, 2))}/mode", rnd.choice(("shared", "always")))
    elif what == 3:
        io = rnd.choice(("file", "net"))
        low = rnd.choice((0, 64 << 10, 1 << 20, 4 << 20))
        put(f"{RW}/{io}_thresh_low", 0)
        put(f"{RW}/{io}_thresh_high", low + rnd.choice((1, 1 << 20, 8 << 20)))
        put(f"{RW}/{io}_thresh_low", low)
    elif live:
        put(f"/proc/{rnd.choice(sorted(live))}/ratewin_class", rnd.choice((1, 2)))


def reap(live, statuses):
    while live:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if not pid:
            return
        live.discard(pid)
        statuses[pid] = status


def held_rate(scratch, rate, seconds=4):
    """What one fresh member moves in seconds under rate, mode always."""
    put(f"{RW}/class3/file_rate", rate)
    put(f"{RW}/class3/mode", "always")
    pid = os.fork()
    if not pid:
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
        put("/proc/self/ratewin_class", 3)
        fd = os.open(f"{scratch}/held", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        block, start, moved = b"x" * 65536, time.monotonic(), 0
        while time.monotonic() - start < seconds:
            moved += os.write(fd, block)
        with open(f"{scratch}/held-rate", "w") as f:
            f.write(str(moved / (time.monotonic() - start)))
        os._exit(0)
    os.waitpid(pid, 0)
    with open(f"{scratch}/held-rate") as f:
        return float(f.read())


def main():
    scratch = sys.argv[1]
    rnd = random.Random(1)
    pids = []
    # Forking 256 members takes a while under TCG: they start together.
    go, start = os.pipe()
    gc.freeze()     # the members share the parent's pages instead of copying them
    for i in range(PROCS):
        pid = os.fork()
        if not pid:
            try:
                member(i, scratch, go)
            except BaseException:
                traceback.print_exc()
                os._exit(4)
        pids.append(pid)
    index = {pid: i for i, pid in enumerate(pids)}
    # The changes keep their 100-ms beat only if 256 busy members cannot
    # crowd the parent off the two CPUs: it runs at a real-time priority.
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    os.write(start, b"g" * PROCS)
    now = time.monotonic()
    deadline, tick, next_kill = now + SECONDS, now, now + 1
    live, statuses, killed, changes = set(pids), {}, set(), 0
    while time.monotonic() < deadline:
        churn(rnd, live)
        changes += 1
        if time.monotonic() >= next_kill and live:
            victim = rnd.choice(sorted(live))
            os.kill(victim, signal.SIGKILL)
            killed.add(victim)
            next_kill += 1
        reap(live, statuses)
        tick += 0.1
        time.sleep(max(0, tick - time.monotonic()))

    # Free the classes: every sleeper must wake and finish its block at once.
    for c in (1, 2):
        put(f"{RW}/class{c}/file_rate", 0)
        put(f"{RW}/class{c}/net_rate", 0)
    stop = time.monotonic()
    while live and time.monotonic() - stop < EXIT_TIMEOUT:
        reap(live, statuses)
        time.sleep(0.05)
    exit_s = time.monotonic() - stop
    hung = sorted(live)
    for pid in hung:
        os.kill(pid, signal.SIGKILL)

    bad = [pid for pid, st in statuses.items()
           if pid not in killed and not (os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0)]
    unkilled = [pid for pid in killed if pid in statuses and not os.WIFSIGNALED(statuses[pid])]
    verified = {"file": 0, "net": 0}
    for pid in pids:
        try:
            with open(f"{scratch}/v{index[pid]}") as f:
                kind, n = f.read().split()
                verified[kind] += int(n)
        except FileNotFoundError:
            pass

    rate = held_rate(scratch, 1000000)
    result = {
        "processes": PROCS, "seconds": SECONDS, "changes": changes,
        "killed": len(killed), "exited_cleanly": PROCS - len(killed) - len(bad) - len(hung),
        "failed": len(bad), "hung": len(hung), "exit_s": round(exit_s, 2),
        "verified_file_bytes": verified["file"], "verified_net_bytes": verified["net"],
        "held_rate_after": round(rate),
    }
    print(f"# {PROCS} members, {SECONDS:.0f} s, {changes} changes, {len(killed)} SIGKILLs; "
          f"{result['exited_cleanly']} exited cleanly within {exit_s:.2f} s, "
          f"{len(bad)} failed, {len(hung)} hung")
    print(f"# bytes verified by SHA-256: {verified['file']} through files, "
          f"{verified['net']} through sockets")
    print(f"# afterwards a member held to 1000000 B/s moved {rate:.0f} B/s")
    print(json.dumps(result))
    ok = not bad and not hung and not unkilled and abs(rate - 1e6) < 0.1e6
    ok = ok and verified["file"] > 0 and verified["net"] > 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
