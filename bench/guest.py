#!/usr/bin/python3
"""make bench, inside the booted benchmark kernel.

Usage: guest.py REPO BINDIR SOURCE KIND SECONDS ROUNDS WORKLOADS PART...
  REPO      this repository; BINDIR holds flow, syscost and the kernel's
            ratewin selftests (ratewin/lib.sh puts ratewin back to its defaults)
  SOURCE    a kernel source tree (the pristine 6.12) to tar, grep and copy
  KIND      patched or vanilla (vanilla has no ratewin: overhead and scaling only)
  SECONDS   each accuracy run's steady interval (the issue asks for 30)
  ROUNDS    rounds of the overhead benchmark
  WORKLOADS the accuracy workloads to run, separated by commas; empty: all
  PART      accuracy, overhead, reaction_file, reaction_net, paper, scaling

Each part writes /tmp/job/PART.json (reaction_file and reaction_net,
reaction-file.json and reaction-net.json): its settings, the exact commands
it ran and what they measured. The virtio disk (vda, ext4, made by the host)
is mounted on /tmp/disk. Network flows run between two network namespaces,
"a" (the measured side) and "b" (servers), over veth pairs.
"""
import json
import os
import platform
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time

REPO, BIN, SOURCE, KIND = sys.argv[1:5]
SECONDS, ROUNDS = float(sys.argv[5]), int(sys.argv[6])
CHOSEN = [w.strip() for w in sys.argv[7].split(",") if w.strip()]
PARTS = sys.argv[8:]
RW = "/sys/kernel/ratewin"
CGROUP = "/sys/fs/cgroup"
TRACE = "/sys/kernel/tracing"
DISK = "/tmp/disk"
JOB = "/tmp/job"
WARMUP = 2.0
KiB, MiB = 1 << 10, 1 << 20
TARGETS = (256 * KiB, 1 * MiB, 8 * MiB, 64 * MiB)

# Network: a <-> b over va/vb (10.9.0.0/24) for everything measured, and
# over ga/gb (10.9.1.0/24) for the guest's flow in the reaction runs, so
# that tc can shape it apart from the host's.
NET_A, NET_B, GUEST_B = "10.9.0.1", "10.9.0.2", "10.9.1.2"
SINK_PORT, SOURCE_PORT = "5001", "5002"
SERVER_CLASS = 8
FOREVER = str(1 << 62)

log = []	# every command run, in order, for the results


def sh(cmd):
    log.append(cmd)
    subprocess.run(cmd, shell=True, check=True)


def attr(name, value=None):
    path = f"{RW}/{name}"
    if value is None:
        with open(path) as f:
            return f.read().strip()
    log.append(f"echo {value} > {path}")
    with open(path, "w") as f:
        f.write(str(value))
    return None


def ratewin_defaults():
    if KIND == "patched":
        sh(f"RATEWIN_DIR={BIN}/ratewin; . $RATEWIN_DIR/lib.sh && ratewin_defaults")


def ratewin_reset():
    """Defaults, and the unconstrained traffic of the last run gone from its
    window, so that the throttled state it caused has ended. (A class needs
    no such wait: a change of its rate starts it afresh.)"""
    ratewin_defaults()
    if KIND == "patched":
        time.sleep(int(attr("window_ms")) / 1000 + 0.5)


def say(text):
    print(f"bench: {text}", flush=True)


# Wrappers: each returns an argv that runs ARGV under some limiter.
def as_is(argv):
    return argv


def flow(*args):
    return [f"{BIN}/flow", *map(str, args)]


def in_class(cls, argv):
    return ["sh", "-c", 'echo "$0" > /proc/self/ratewin_class && exec "$@"', str(cls), *argv]


def in_cgroup(argv):
    return ["sh", "-c", f'echo $$ > {CGROUP}/bench/cgroup.procs && exec "$@"', "in_cgroup", *argv]


def netns(ns, argv):
    return ["ip", "netns", "exec", ns, *argv]


def run_json(argv):
    log.append(shlex.join(argv))
    return json.loads(subprocess.run(argv, check=True, stdout=subprocess.PIPE,
                                     text=True).stdout)


def start(argv):
    log.append(shlex.join(argv) + " &")
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)


def finish(proc):
    """Stops a flow started with start() and returns its report."""
    proc.send_signal(signal.SIGTERM)
    return json.loads(proc.communicate()[0])


def run_together(argvs):
    """Runs ARGVS at once, as `A & B & wait` would, and returns their reports."""
    procs = [start(argv) for argv in argvs]
    log.append("wait")
    reports = [p.communicate()[0] for p in procs]
    for p in procs:
        if p.returncode:
            raise subprocess.CalledProcessError(p.returncode, p.args)
    return [json.loads(r) for r in reports]


# ---------------------------------------------------------------- set-up

def setup_disk():
    os.makedirs(DISK, exist_ok=True)
    sh(f"mount /dev/vda {DISK}")


def make_file(path, size):
    sh(f"head -c {size} /dev/urandom > {path}")


def setup_network():
    for ns in ("a", "b"):
        sh(f"ip netns add {ns} && ip -n {ns} link set lo up")
    for x, net in (("v", "10.9.0"), ("g", "10.9.1")):
        sh(f"ip link add {x}a netns a type veth peer name {x}b netns b")
        sh(f"ip -n a addr add {net}.1/24 dev {x}a && ip -n a link set {x}a up")
        sh(f"ip -n b addr add {net}.2/24 dev {x}b && ip -n b link set {x}b up")
    # Servers in b, never measured: one sink, one source. They stand for
    # other machines: in class 8, never limited, so that their end of the
    # traffic does not count as the unconstrained load that throttles.
    for mode, port in (("sink", SINK_PORT), ("source", SOURCE_PORT)):
        server = netns("b", flow(mode, port))
        start(in_class(SERVER_CLASS, server) if KIND == "patched" else server)


def setup_tracing():
    sh(f"mountpoint -q {TRACE} || mount -t tracefs tracefs {TRACE}")
    sh(f"echo mono > {TRACE}/trace_clock")	# flow's clock: CLOCK_MONOTONIC


def setup_cgroup():
    sh(f"mount -t cgroup2 none {CGROUP}")
    sh(f"echo +io > {CGROUP}/cgroup.subtree_control && mkdir {CGROUP}/bench")


def disk_dev():
    with open("/sys/block/vda/dev") as f:
        return f.read().strip()


def meta():
    return {"kernel": platform.release(), "kind": KIND, "cpus": os.cpu_count(),
            "cpu_model": re.search(r"model name\s*:\s*(.*)",
                                   open("/proc/cpuinfo").read()).group(1),
            "ratewin": ratewin_settings() if KIND == "patched" else None}


def ratewin_settings():
    names = ("enabled", "window_events", "window_ms", "min_sleep_us", "max_sleep_us",
             "file_thresh_high", "file_thresh_low", "net_thresh_high", "net_thresh_low")
    return {n: attr(n) for n in names}


def save(part, result):
    result.update(meta())
    result["commands"] = log[:]
    log.clear()
    with open(f"{JOB}/{part}.json", "w") as f:
        json.dump(result, f, indent=1)


# ---------------------------------------------------------------- accuracy

FILE_TOOLS, NET_TOOLS = ("ratewin", "io.max"), ("ratewin", "tc", "trickle")
# trickle limits each process on its own, never several together.
SHARED_NET_TOOLS = ("ratewin", "tc")
RATEWIN = ("ratewin",)
SEND = ["send", NET_B, SINK_PORT]
LARGE = ["--bs", MiB, "--sample-ms", 10]
# copy_file_range and sendfile, as cp and shutil copy, from the file of the
# cold reads: their direct reads do not use the pages this leaves cached.
TRANSFER = [f"{DISK}/cold", f"{DISK}/copy"]

# workload: (each flow's arguments, kind of I/O, io.max key or tc device,
# tools). The flows of a workload run together in one class, and its rate
# is the sum of theirs.
WORKLOADS = {
    "file write": ([["--direct", "write", f"{DISK}/out", 256 * MiB]], "file", "wbps",
                   FILE_TOOLS),
    "file read cold": ([["--direct", "read", f"{DISK}/cold"]], "file", "rbps", FILE_TOOLS),
    "file read hot": ([["read", f"{DISK}/hot"]], "file", "rbps", FILE_TOOLS),
    "net send": ([SEND], "net", "va", NET_TOOLS),
    "net recv": ([["fetch", NET_B, SOURCE_PORT, FOREVER]], "net", "vb", NET_TOOLS),
    # Direct, as "file write", so that the two differ only in members and
    # io.max, which sees no buffered writes without the memory controller
    # (they reach the disk as the flusher's), can hold the four too.
    "file write x4": ([["--direct", "write", f"{DISK}/out{i}", 256 * MiB] for i in range(4)],
                      "file", "wbps", FILE_TOOLS),
    "net send x4": ([SEND] * 4, "net", "va", SHARED_NET_TOOLS),
    # 1 MiB asked per call: ratewin cuts copy_file_range and sendfile to a
    # piece, but a send on a socket is charged whole, and counted when it
    # returns: sampled every 10 ms, its bursts are timed to 0.1 %.
    "copy_file_range": ([LARGE + ["copyrange", *TRANSFER]], "file", None, RATEWIN),
    "sendfile": ([LARGE + ["sendfile", *TRANSFER]], "file", None, RATEWIN),
    "net send 1 MiB": ([LARGE + SEND], "net", None, RATEWIN),
    # Direct, four requests in flight, counted as they complete: io_uring's
    # are charged what they moved as they complete, AIO's what they ask as
    # they are submitted.
    "file write io_uring": ([["--direct", "uring-write", f"{DISK}/out", 256 * MiB]], "file",
                            "wbps", FILE_TOOLS),
    "file write AIO": ([["--direct", "aio-write", f"{DISK}/out", 256 * MiB]], "file", "wbps",
                       FILE_TOOLS),
}


def tbf(ns, dev, rate):
    """tc's token bucket on DEV's egress, with bursts of 10 ms at RATE but
    at least one 64-KiB GSO packet; returns the undo."""
    sh(f"ip netns exec {ns} tc qdisc replace dev {dev} root tbf rate {rate}bps "
       f"burst {max(rate // 100, 64 * KiB)} latency 100ms")
    return lambda: sh(f"ip netns exec {ns} tc qdisc del dev {dev} root")


def limited(tool, io, where, rate):
    """Sets TOOL up to hold what it wraps, together, to RATE; returns the
    wrapper and the undo."""
    if tool == "ratewin":
        attr(f"class1/{io}_rate", rate)
        attr("class1/mode", "always")
        return lambda argv: in_class(1, argv), ratewin_defaults
    if tool == "io.max":
        sh(f"echo '{disk_dev()} {where}={rate}' > {CGROUP}/bench/io.max")
        return in_cgroup, lambda: sh(
            f"echo '{disk_dev()} rbps=max wbps=max' > {CGROUP}/bench/io.max")
    if tool == "tc":
        # the sender's egress: vb shapes what a receives
        return as_is, tbf("a" if where == "va" else "b", where, rate)
    if tool == "trickle":
        direction = "-u" if where == "va" else "-d"
        return lambda argv: ["trickle", "-s", direction, str(rate // KiB), *argv], lambda: None
    raise ValueError(tool)


def check_chosen():
    """Fails at once, not after the parts before accuracy, on a misspelt name."""
    unknown = [w for w in CHOSEN if w not in WORKLOADS]
    if unknown:
        raise SystemExit(f"bench: no accuracy workload {unknown}; there are {list(WORKLOADS)}")


def accuracy():
    make_file(f"{DISK}/cold", 256 * MiB)
    make_file(f"{DISK}/hot", 64 * MiB)
    runs = []
    for name, (flows, io, where, tools) in WORKLOADS.items():
        if CHOSEN and name not in CHOSEN:
            continue
        for tool in tools:
            for rate in TARGETS:
                if name == "file read hot":
                    sh(f"cat {DISK}/hot > /dev/null")
                mark = len(log)
                wrap, undo = limited(tool, io, where, rate)
                argvs = [wrap(flow("--seconds", SECONDS, "--warmup", WARMUP, *args))
                         for args in flows]
                got = run_together([netns("a", a) if io == "net" else a for a in argvs])
                commands = log[mark:]
                undo()
                # The flows start together, so that their steady intervals,
                # each its own, nearly coincide: the class's rate is the sum
                # of theirs.
                total = sum(g["rate"] for g in got)
                error = (total / rate - 1) * 100
                say(f"accuracy: {name:15} {tool:8} {rate:>9} B/s: "
                    f"{total:12.0f} B/s ({error:+.2f} %)")
                run = {"workload": name, "tool": tool, "target": rate,
                       "rate": total, "error_pct": error,
                       "steady_bytes": sum(g["steady_bytes"] for g in got),
                       "steady_seconds": statistics.mean(g["steady_seconds"] for g in got),
                       "commands": commands}
                if len(got) > 1:
                    run["flows"] = [g["rate"] for g in got]
                runs.append(run)
    save("accuracy", {"seconds": SECONDS, "warmup": WARMUP, "runs": runs})


# ---------------------------------------------------------------- overhead

CHEAP_CASES, TCP_ITERATIONS, CHEAP_ITERATIONS = ("pipe", "zero", "null", "file"), 5000, 50000
HUGE_RATE = 1 << 50	# a limit never reached
KEY_OFF_S = 1.5		# the hooks' deferred static key goes off 1 s after the last limit


def configure(config):
    """Puts ratewin in CONFIG; returns how to run the caller in it."""
    if config == "vanilla":
        return as_is
    ratewin_defaults()
    attr("class1/file_rate", MiB)
    if config == "disabled":
        attr("enabled", 0)
        time.sleep(KEY_OFF_S)
        return as_is
    attr("class1/net_rate", MiB)
    attr("class1/mode", "always")
    if config == "unconstrained":
        return as_is
    attr("class2/file_rate", HUGE_RATE)
    attr("class2/net_rate", HUGE_RATE)
    attr("class2/mode", "always")
    return lambda argv: in_class(2, argv)


def syscost(wrap, threads=1, cases=CHEAP_CASES + ("tcp",)):
    """ns per call and calls per second of each case, in one process."""
    def run(iterations, names):
        return run_json(wrap([f"{BIN}/syscost", "--iterations", str(iterations),
                              "--threads", str(threads), *names]))
    got = {}
    cheap = [c for c in cases if c != "tcp"]
    if cheap:
        got.update(run(CHEAP_ITERATIONS, cheap))
    if "tcp" in cases:
        got.update(run(TCP_ITERATIONS, ["tcp"]))
    return got


def summary(values):
    q = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "q1": q[0], "q3": q[2], "n": len(values)}


def overhead():
    """Every configuration in every round, in rotating order, so that drift
    touches them all alike; then, on the patched kernel, the hook's cost as
    classes and their members grow. Meant for a boot under QEMU's -icount,
    where a guest nanosecond is a guest instruction."""
    configs = ["vanilla"] if KIND == "vanilla" else ["disabled", "unconstrained", "constrained"]
    samples = {c: {} for c in configs}
    for r in range(ROUNDS):
        for config in configs[r % len(configs):] + configs[:r % len(configs)]:
            for case, got in syscost(configure(config)).items():
                samples[config].setdefault(case, []).append(got["ns_per_call"])
    result = {config: {case: summary(v) | {"samples": v} for case, v in cases.items()}
              for config, cases in samples.items()}
    for config, cases in result.items():
        for case, s in cases.items():
            say(f"overhead: {config:13} {case:5} {s['median']:9.1f} ns/call "
                f"[{s['min']:.1f}, {s['max']:.1f}]")
    costs = []
    if KIND == "patched":
        for classes in (1, 4, 8):
            for members in (0, 64, 256):
                costs.append(hook_cost(classes, members))
    ratewin_defaults()
    save("overhead", {"rounds": ROUNDS, "iterations": {"cheap": CHEAP_ITERATIONS,
                      "tcp": TCP_ITERATIONS}, "configs": result, "hook_cost": costs})


def hook_cost(classes, members):
    """ns per call of 1-byte file I/O (a cached file, written and read
    back), unconstrained and in class 1, with CLASSES classes limited
    (never reached) and MEMBERS idle members."""
    ratewin_defaults()
    for c in range(1, classes + 1):
        attr(f"class{c}/file_rate", HUGE_RATE)
        attr(f"class{c}/mode", "always")
    idle = [subprocess.Popen(in_class(1, ["sleep", "600"])) for _ in range(members)]
    log.append(f"{members} x: sleep 600 in class 1")
    unconstrained, constrained = [], []
    for _ in range(max(ROUNDS // 3, 3)):
        unconstrained.append(syscost(as_is, cases=("file",))["file"]["ns_per_call"])
        got = syscost(lambda argv: in_class(1, argv), cases=("file",))
        constrained.append(got["file"]["ns_per_call"])
    for p in idle:
        p.kill()
        p.wait()
    row = {"classes": classes, "members": members,
           "unconstrained": summary(unconstrained), "constrained": summary(constrained)}
    say(f"overhead: {classes} classes, {members:3} members: unconstrained "
        f"{row['unconstrained']['median']:.1f} ns, constrained {row['constrained']['median']:.1f} ns")
    return row


# ---------------------------------------------------------------- scaling

def scaling():
    """Unconstrained throughput with 1 and 2 threads (the VM's CPUs), in
    real time."""
    configs = ["vanilla"] if KIND == "vanilla" else ["disabled", "unconstrained"]
    threads = {}
    for config in configs:
        for t in (1, 2):
            rates = []
            for _ in range(max(ROUNDS // 3, 3)):
                got = syscost(configure(config), t, ("zero", "null"))
                rates.append(sum(g["calls_per_sec"] for g in got.values()) / len(got))
            threads[f"{config}/{t}"] = summary(rates)
            say(f"scaling: {config:13} {t} thread(s): {statistics.median(rates):12.0f} calls/s")
    ratewin_defaults()
    save("scaling", {"threads": threads})


# ---------------------------------------------------------------- reaction

# The two halves run in boots of their own (bench/run.sh), each in
# conditions where its host job's time is set by what it shares with the
# guest rather than by the speed of TCG on a shared machine at that moment:
# - files in real time, on a virtio disk QEMU holds to a rate (read and
#   write together; ratewin_bench_disk_bps on the kernel's command line):
#   a disk of finite speed, as on any real machine, shared by host and
#   guest, below what the emulated CPU copies (300-400 MiB/s here), so
#   that the vCPUs mostly wait (the runs record their idle time). QEMU
#   lets a tenth of a second's worth through at once into an idle disk, so
#   every row keeps the disk busy until the host starts (a reader in the
#   servers' class, which never counts as the host's load): each host job
#   starts on the same history.
# - the network counted (-icount shift=1,sleep=off: one guest instruction
#   is 2 ns, and an idle vCPU's wait ends at its next timer, whatever the
#   host machine's speed): the guest's and the host's flows share no link,
#   only the two vCPUs, which take turns on one host thread. It is a model
#   of CPU contention, not a bound: what the host job itself executes may
#   change with what else runs (how its receives batch, idle entries and
#   exits), and a cache miss counts as one instruction.
FILE_GUEST_LIMIT, NET_GUEST_LIMIT = 4 * MiB, 2 * MiB
HOST_SECONDS = 5	# the host job's size: about its time alone
HOST_NET_BYTES = 2048 * MiB	# about 5 s of counted time
HOST_START = 5.0	# s after the guest
AFTER_HOST = 8.0	# s the guest goes on after the host is done: a window and more
REACTION_RUNS = 8	# rounds: medians of 8 (the issue asks for 5 at least)
SAMPLED = ("--samples", "--sample-ms", 100, "--warmup", 0)	# each flow's rates, plotted


def disk_rate():
    """The rate QEMU holds the disk to, from the kernel's command line."""
    with open("/proc/cmdline") as f:
        found = re.search(r"\bratewin_bench_disk_bps=(\d+)", f.read())
    if not found:
        raise RuntimeError("no ratewin_bench_disk_bps= on the kernel's command line")
    return int(found.group(1))


def idle_seconds():
    """Both vCPUs' idle time so far (idle and iowait), in seconds."""
    with open("/proc/stat") as f:
        ticks = f.readline().split()[4:6]
    return sum(map(int, ticks)) / os.sysconf("SC_CLK_TCK")


def timeline(guest_argv, host_argv, setup, stop=False, prelude=None):
    """The guest flow alone, then beside a host job of fixed size, then alone
    (no guest: the host job alone, with the same waits); with STOP, the
    guest is stopped (SIGSTOP) while the host job runs, as an instant stop
    would hold it; PRELUDE runs from the guest's start to the host's.
    Returns both reports, the host's completion time, the vCPUs' idle time
    while the host job ran and the changes of the throttled state,
    [CLOCK_MONOTONIC s, io, throttled]."""
    ratewin_reset()	# nothing left of the last run, throttled state included
    undo = setup()
    sh(f"echo > {TRACE}/trace; echo 1 > {TRACE}/events/ratewin/ratewin_throttle/enable")
    guest = start(guest_argv) if guest_argv else None
    before = start(prelude) if prelude else None
    try:
        time.sleep(HOST_START)
        if guest and stop:
            guest.send_signal(signal.SIGSTOP)
        if before:
            finish(before)
            before = None
        try:
            idle = idle_seconds()
            host = run_json(host_argv)
            idle = idle_seconds() - idle
        finally:
            if guest and stop:
                guest.send_signal(signal.SIGCONT)
        time.sleep(AFTER_HOST)
    finally:
        if before:
            finish(before)
        report = finish(guest) if guest else None
    sh(f"echo 0 > {TRACE}/events/ratewin/ratewin_throttle/enable")
    undo()
    with open(f"{TRACE}/trace") as f:
        states = [[float(t), io, on == "1"] for t, io, on in re.findall(
            r"(\d+\.\d+): ratewin_throttle: io=(\w+) throttled=(\d)", f.read())]
    return {"guest": report, "host": host, "host_seconds": host["end"] - host["start"],
            "host_idle_s": idle, "states": states}


def rates(report, t0):
    """[time since t0, B/s over the sample before it] from a flow's samples."""
    s = report["samples"]
    return [[round(b[0] - t0, 3), (b[1] - a[1]) / (b[0] - a[0])]
            for a, b in zip(s, s[1:]) if b[0] > a[0]]	# printed to 0.1 ms: may tie


def reaction_times(run, limit):
    """Seconds from the host's start until the guest's rate, over a 100-ms
    sample, first falls to within 25 % of its limit, and from the host's
    end until it first exceeds three times the limit again."""
    guest = rates(run["guest"], 0)
    start, end = run["host"]["start"], run["host"]["end"]
    down = next((t for t, r in guest if t > start and r <= limit * 1.25), None)
    up = next((t for t, r in guest if t > end and r > limit * 3), None)
    return (down - start if down else None, up - end if up else None)


def state_times(run, io):
    """Seconds from the host's start until the kernel's throttled state for
    IO begins, and from its end until that state ends (ratewin_throttle)."""
    start, end = run["host"]["start"], run["host"]["end"]
    on = next((t for t, i, state in run["states"] if i == io and state and t >= start), None)
    off = next((t for t, i, state in run["states"] if i == io and not state and t >= end),
               None)
    return (on - start if on else None, off - end if off else None)


def spread(values):
    """summary() of VALUES, leaving out runs where the figure did not occur
    (None); None if it never did."""
    seen = [v for v in values if v is not None]
    return summary(seen) if seen else None


# The rows' order in each round: random, from a fixed seed, so that no row
# always follows another (each leaves its files' writeback and its
# connections' TIME_WAIT behind).
REACTION_SEED = 15


def scenario(kind, host_argv, limit, limiters, prelude=None):
    """The host job alone and beside each of LIMITERS' guests (name: setup,
    argv and whether to stop the guest), REACTION_RUNS rounds of each, the
    rows of a round in a random order, each after PRELUDE if given
    (timeline()). The host alone runs through the same timeline as the
    others, with no guest, so that every row waits alike before and after
    its host job. Each run records its round and
    place in it. The plot shows the run whose host time is the median."""
    run_json(host_argv)	# a warm-up: the first run also allocates its file
    alone, alone_idle, runs = [], [], {name: [] for name in limiters}
    order = random.Random(REACTION_SEED)
    rows = [None, *limiters]
    for i in range(REACTION_RUNS):
        for place, name in enumerate(order.sample(rows, len(rows))):
            if name is None:
                run = timeline(None, host_argv, lambda: (lambda: None), prelude=prelude)
                alone.append(run["host_seconds"])
                alone_idle.append(run["host_idle_s"])
                say(f"reaction: {kind} {i + 1}/{REACTION_RUNS}: host alone {alone[-1]:.2f} s, "
                    f"vCPUs idle {alone_idle[-1]:.2f} s")
                continue
            setup, argv, stop = limiters[name]
            run = timeline(argv, host_argv, setup, stop, prelude)
            down, up = reaction_times(run, limit)
            on, off = state_times(run, kind)
            runs[name].append(run | {"to_throttle_s": down, "to_release_s": up,
                                     "state_on_s": on, "state_off_s": off,
                                     "round": i, "place": place})
            say(f"reaction: {kind} {i + 1}/{REACTION_RUNS}: beside {name}: "
                f"host {run['host_seconds']:.2f} s, vCPUs idle {run['host_idle_s']:.2f} s, "
                f"throttled after {on} s (state), "
                f"{down} s (guest's rate); released after {off} s (state), {up} s (rate)")
    result = {"guest_limit": limit, "host_alone_s": spread(alone), "host_alone_runs": alone,
              "host_alone_idle_s": alone_idle, "runs": {}}
    for name, done in runs.items():
        shown = sorted(done, key=lambda r: r["host_seconds"])[len(done) // 2]
        t0 = shown["guest"]["start"]
        result["runs"][name] = {
            "host_s": spread([r["host_seconds"] for r in done]),
            "to_throttle_s": spread([r["to_throttle_s"] for r in done]),
            "to_release_s": spread([r["to_release_s"] for r in done]),
            "state_on_s": spread([r["state_on_s"] for r in done]),
            "state_off_s": spread([r["state_off_s"] for r in done]),
            "each": [{k: r[k] for k in ("host_seconds", "host_idle_s", "to_throttle_s",
                                        "to_release_s",
                                        "state_on_s", "state_off_s", "states", "round",
                                        "place")}
                     for r in done],
            "guest_rates": rates(shown["guest"], t0), "host_rates": rates(shown["host"], t0),
            "host_start": shown["host"]["start"] - t0, "host_end": shown["host"]["end"] - t0}
    return result


def ratewin_class1(io, rate, mode="shared"):
    def setup():
        attr(f"class1/{io}_rate", rate)
        attr("class1/mode", mode)
        return ratewin_defaults
    return setup


def tc_on_guest_link(rate):
    return lambda: tbf("a", "ga", rate)


def io_max_on_guest(rate):
    """Half of RATE each way: the guest's copy reads what it writes, and
    ratewin's file rate counts both."""
    def setup():
        limit = lambda r: sh(f"echo '{disk_dev()} rbps={r} wbps={r}' > {CGROUP}/bench/io.max")
        limit(rate // 2)
        return lambda: limit("max")
    return setup


def reaction_settings():
    return {"runs": REACTION_RUNS, "host_start_after_s": HOST_START,
            "guest_after_host_s": AFTER_HOST}


def reaction_file():
    rate = disk_rate()
    for name in ("gsrc", "hsrc"):
        make_file(f"{DISK}/{name}", 128 * MiB)
    sh("sync")	# not written back on the limited disk during the rows
    copy = flow(*SAMPLED, "--seconds", 600, "--direct", "copy", f"{DISK}/gsrc", f"{DISK}/gdst")
    guest = in_class(1, copy)
    host = flow(*SAMPLED, "--seconds", 0, "--bytes", HOST_SECONDS * rate // MiB * MiB,
                "--direct", "copy", f"{DISK}/hsrc", f"{DISK}/hdst")
    busy_disk = in_class(SERVER_CLASS, flow("--seconds", 600, "--direct", "read",
                                            f"{DISK}/hsrc"))
    # The stopped guest's class is limited as the throttled guest's is, so
    # that ratewin's hooks are on in both rows (in the host alone's, off):
    # the two differ only in what the guest does once the host starts.
    result = scenario("file", host, FILE_GUEST_LIMIT, {
        "throttled guest": (ratewin_class1("file", FILE_GUEST_LIMIT), guest, False),
        "guest held always": (ratewin_class1("file", FILE_GUEST_LIMIT, "always"), guest,
                              False),
        "guest stopped at host start": (ratewin_class1("file", FILE_GUEST_LIMIT), guest, True),
        "unthrottled guest": (ratewin_class1("file", 0), guest, False),
        "io.max-limited guest": (io_max_on_guest(FILE_GUEST_LIMIT), in_cgroup(copy), False)},
        busy_disk)
    result |= {"clock": "real", "disk_rate": rate,
               "conditions": f"real time, the virtio disk held to {rate // MiB} MiB/s by QEMU"}
    save("reaction-file", {"file": result} | reaction_settings())


def reaction_net():
    guest = netns("a", in_class(1, flow(*SAMPLED, "--seconds", 600, "send", GUEST_B,
                                        SINK_PORT)))
    host = netns("a", flow(*SAMPLED, "--seconds", 0, "--bytes", HOST_NET_BYTES, "fetch",
                           NET_B, SOURCE_PORT, MiB))
    plain_guest = netns("a", flow(*SAMPLED, "--seconds", 600, "send", GUEST_B, SINK_PORT))
    result = scenario("net", host, NET_GUEST_LIMIT, {
        "throttled guest": (ratewin_class1("net", NET_GUEST_LIMIT), guest, False),
        "guest held always": (ratewin_class1("net", NET_GUEST_LIMIT, "always"), guest, False),
        "guest stopped at host start": (ratewin_class1("net", NET_GUEST_LIMIT), guest, True),
        "unthrottled guest": (ratewin_class1("net", 0), guest, False),
        "tc-limited guest": (tc_on_guest_link(NET_GUEST_LIMIT), plain_guest, False)})
    result |= {"clock": "counted", "conditions": "counted: QEMU -icount shift=1,sleep=off"}
    save("reaction-net", {"net": result} | reaction_settings())


# ---------------------------------------------------------------- paper

PAPER_LIMIT = 500000	# the paper's 500 KB/s
ABSENT = "ratewin-bench-pattern-found-nowhere"
PAPER_WORKLOADS = {
    "tar": f"tar cf {DISK}/src.tar -C {DISK} src",
    "grep": f"grep -r {ABSENT} {DISK}/src; test $? = 1",
    "compile": f"make -s -C {DISK}/ratectl O={DISK}/build",
}
COUNTERS = ("file_bytes", "file_events", "file_sleeps", "file_sleep_ns")


def disk_bytes():
    """Bytes read and written on vda (/proc/diskstats counts 512-B sectors)."""
    for line in open("/proc/diskstats"):
        f = line.split()
        if f[2] == "vda":
            return (int(f[5]) + int(f[9])) * 512
    raise RuntimeError("no vda in /proc/diskstats")


def sleeps():
    """[bytes charged, ns slept] of each of class 1's file sleeps."""
    with open(f"{TRACE}/trace") as f:
        return [[int(b), int(ns)] for b, ns in re.findall(
            r"ratewin_sleep: class=1 io=file bytes=(\d+) delay_ns=(\d+)", f.read())]


def paper_run(command, limit):
    ratewin_reset()
    attr("class1/file_rate", limit)
    attr("class1/mode", "always")
    sh(f"rm -rf {DISK}/src.tar {DISK}/build; sync; echo 3 > /proc/sys/vm/drop_caches")
    sh(f"echo > {TRACE}/trace; echo 1 > {TRACE}/events/ratewin/ratewin_sleep/enable")
    before = {c: int(attr(f"class1/{c}")) for c in COUNTERS}
    disk = disk_bytes()
    t = time.monotonic()
    argv = in_class(1, ["sh", "-c", command])
    log.append(shlex.join(argv))
    subprocess.run(argv, check=True)
    seconds = time.monotonic() - t
    sh("sync")
    sh(f"echo 0 > {TRACE}/events/ratewin/ratewin_sleep/enable")
    row = {c: int(attr(f"class1/{c}")) - before[c] for c in COUNTERS}
    slept = sleeps()
    row.update(disk_bytes=disk_bytes() - disk, seconds=seconds,
               sleep_ns=[ns for _, ns in slept], sleep_bytes=[b for b, _ in slept])
    row["rate"] = row["file_bytes"] / seconds
    row["disk_rate"] = row["disk_bytes"] / seconds
    return row


def paper():
    sh(f"mkdir -p {DISK}/src && cp -a {SOURCE}/kernel/. {DISK}/src/")
    sh(f"cp -a {REPO}/tools/ratectl {DISK}/ratectl")
    sh(f"echo 8192 > {TRACE}/buffer_size_kb")
    rows = {}
    for name, command in PAPER_WORKLOADS.items():
        free = paper_run(command, HUGE_RATE)
        held = paper_run(command, PAPER_LIMIT)
        rows[name] = {"limited": held, "unlimited_seconds": free["seconds"],
                      "command": command}
        say(f"paper: {name}: {held['seconds']:.1f} s held ({free['seconds']:.1f} s free), "
            f"{held['file_bytes']} B file I/O, {held['disk_bytes']} B disk I/O, "
            f"{held['file_events']} events, {held['file_sleeps']} sleeps, "
            f"{held['file_sleep_ns'] / 1e9:.1f} s asleep, {held['rate']:.0f} B/s")
    ratewin_defaults()
    save("paper", {"limit": PAPER_LIMIT, "source": f"{SOURCE}/kernel", "workloads": rows})


def main():
    check_chosen()
    setup_disk()
    setup_network()
    setup_cgroup()
    setup_tracing()
    ratewin_defaults()
    save("meta", {"parts": PARTS, "seconds": SECONDS, "rounds": ROUNDS, "workloads": CHOSEN})
    for part in PARTS:
        say(f"{part} ({KIND} kernel)")
        t = time.monotonic()
        globals()[part]()
        say(f"{part} took {time.monotonic() - t:.0f} s")


main()
