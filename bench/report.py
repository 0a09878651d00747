#!/usr/bin/python3
"""make bench, on the host: turn what the guests wrote into results.

Usage: report.py --command CMD --seconds S PATCHED_JOB VANILLA_JOB RESULTS

Writes RESULTS/PART.json for every part the guests ran (what they measured,
the kernel, CPU count and settings, and the command that made it), a PNG
plot per part (gnuplot) and RESULTS/tables.md, the tables bench/README.md
shows, each naming the command, date and commit that made it. A part this
run did not make stays as an earlier run left it in RESULTS.
RESULTS/accuracy.json keeps the runs of an earlier command that this
one did not make again (BENCH_WORKLOADS runs only some), each run naming the
command that made it.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time

MiB = 1 << 20


def load(job, part):
    path = os.path.join(job, f"{part}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def load_run(job, part):
    """What a run's boots left of PART: the reaction part's two halves,
    which run in boots of their own (bench/run.sh), as one."""
    if part != "reaction":
        return load(job, part)
    file, net = (load(job, f"reaction-{kind}") for kind in ("file", "net"))
    if file is None and net is None:
        return None
    if file is None or net is None:
        raise SystemExit(f"report.py: {job} has only one of reaction-file.json "
                         "and reaction-net.json")
    return file | net | {"commands": {"file": file["commands"], "net": net["commands"]}}


def host_info(args):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "?")
    return {"command": args.command, "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "commit": args.commit, "host_kernel": platform.release(),
            "host_cpus": os.cpu_count(), "host_cpu_model": cpu,
            "bench_wall_seconds": args.seconds}


def write_json(results, part, data):
    with open(os.path.join(results, f"{part}.json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def gnuplot(results, name, script, data, size=(1200, 800)):
    """Runs SCRIPT with $name.png as output; DATA maps block names to rows."""
    blocks = "".join(f"${block} << EOD\n" + "\n".join(" ".join(map(str, r)) for r in rows)
                     + "\nEOD\n" for block, rows in data.items())
    with tempfile.NamedTemporaryFile("w", suffix=".gp") as f:
        f.write(blocks)
        f.write(f"set terminal pngcairo size {size[0]},{size[1]} font 'sans,11' noenhanced\n"
                f"set output '{os.path.join(results, name)}.png'\n")
        f.write(script)
        f.flush()
        subprocess.run(["gnuplot", f.name], check=True)


def bars(results, name, title, ylabel, settings, names, rows):
    """A clustered bar chart: ROWS are [label, one value per NAME]."""
    script = (f"set title '{title}'\nset ylabel '{ylabel}'\n{settings}"
              "set style data histograms\nset style histogram clustered gap 1\n"
              "set style fill solid 0.8 border -1\nset grid ytics\nset key top left\n"
              "plot " + ", ".join(f"$d using {i + 2}:xtic(1) title '{n}'"
                                  for i, n in enumerate(names)) + "\n")
    gnuplot(results, name, script, {"d": rows})


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def rate_text(rate):
    for unit, size in (("MiB/s", MiB), ("KiB/s", 1024)):
        if rate >= size:
            return f"{rate / size:g} {unit}"
    return f"{rate:g} B/s"


# ---------------------------------------------------------------- accuracy

CLIP = 25	# % beyond which the plot shows the value as a label
# The accuracy plot grows by rows of panels, each of the 400 x 400 they had
# when 2 x 3 held every workload.
COLUMNS = 3


def run_key(run):
    return run["workload"], run["tool"], run["target"]


def merge_accuracy(old, new, command):
    """NEW's runs and those of OLD, the accuracy.json before, that NEW did not
    make again, each run with the command that made it; NEW's settings."""
    runs = {run_key(r): {"command": old["command"]} | r for r in old["runs"]} if old else {}
    for r in new["runs"]:
        runs[run_key(r)] = r | {"command": command}
    return new | {"runs": list(runs.values())}


def accuracy(results, acc, _vanilla):
    runs = acc["runs"]
    workloads = list(dict.fromkeys(r["workload"] for r in runs))
    tools = list(dict.fromkeys(r["tool"] for r in runs))
    targets = sorted({r["target"] for r in runs})
    by = {run_key(r): r["error_pct"] for r in runs}

    rows = []
    for w in workloads:
        for t in tools:
            if (w, t, targets[0]) in by:
                rows.append([w, t] + [f"{by[(w, t, x)]:+.2f}" for x in targets])
    text = ("### Accuracy: error of the achieved rate, % of the target\n\n"
            + table(["workload", "tool"] + [rate_text(x) for x in targets], rows))

    data, plots = {}, []
    for i, w in enumerate(workloads):
        for t in tools:
            if (w, t, targets[0]) not in by:
                continue
            block = f"d{len(data)}"
            data[block] = [[j + (tools.index(t) - 1) * 0.08, max(-CLIP, min(CLIP, by[(w, t, x)])),
                            f"{by[(w, t, x)]:+.0f}%" if abs(by[(w, t, x)]) > CLIP else '""']
                           for j, x in enumerate(targets)]
            plots.append((i, block, t))
    layout = (-(-len(workloads) // COLUMNS), COLUMNS)
    seconds = sorted({round(r["steady_seconds"]) for r in runs})
    steady = f"{seconds[0]}" if len(seconds) == 1 else f"{seconds[0]}–{seconds[-1]}"
    script = [f"set multiplot layout {layout[0]},{layout[1]} title 'Achieved rate vs target, "
              f"error % (steady {steady} s after {acc['warmup']:g} s warm-up)'",
              f"set yrange [-{CLIP}:{CLIP}]", "set grid ytics", "set key top left",
              "set xtics (" + ", ".join(f"'{rate_text(x)}' {j}" for j, x in enumerate(targets)) + ")",
              "set xrange [-0.5:3.5]", "set ylabel 'error %'"]
    styles = {"ratewin": "lc rgb '#1b7837' pt 7", "io.max": "lc rgb '#762a83' pt 5",
              "tc": "lc rgb '#2166ac' pt 9", "trickle": "lc rgb '#b2182b' pt 11"}
    for i, w in enumerate(workloads):
        mine = [(b, t) for j, b, t in plots if j == i]
        script.append(f"set title '{w}'")
        script.append("plot " + ", ".join(
            f"${b} using 1:2 with linespoints {styles.get(t, '')} ps 1.5 title '{t}', "
            f"${b} using 1:2:3 with labels offset 0,1 notitle" for b, t in mine)
            + ", 0 with lines lc rgb 'black' dt 2 notitle")
    script.append("unset multiplot")
    gnuplot(results, "accuracy", "\n".join(script) + "\n", data,
            (400 * layout[1], 400 * layout[0]))
    return text


# ---------------------------------------------------------------- overhead

def overhead(results, patched, vanilla):
    configs = dict(vanilla["configs"] if vanilla else {})
    configs.update(patched["configs"])
    cases = list(patched["configs"]["disabled"])
    rows = []
    for case in cases:
        base = configs["disabled"][case]["median"]
        ref = configs["vanilla"][case]["median"] if "vanilla" in configs else None
        for name, c in configs.items():
            s = c[case]
            rows.append([case, name, f"{s['median']:.1f}", f"{s['min']:.1f}–{s['max']:.1f}",
                         f"{(s['median'] / base - 1) * 100:+.2f}",
                         f"{(s['median'] / ref - 1) * 100:+.2f}" if ref else "–"])
    text = (f"### Overhead: guest instructions per system call (QEMU -icount), "
            f"median of {patched['rounds']} rounds\n\n"
            + table(["call", "kernel / ratewin", "median", "range",
                     "vs disabled %", "vs vanilla %"], rows))
    names = list(configs)
    bars(results, "overhead", "Cost of one small I/O system call: guest instructions "
         "(QEMU -icount), median of rounds", "instructions per call",
         "set logscale y\nset yrange [100:*]\n", names,
         [[case] + [configs[n][case]["median"] for n in names] for case in cases])

    cost = patched["hook_cost"]
    rows = [[c["classes"], c["members"], f"{c['unconstrained']['median']:.1f}",
             f"{c['constrained']['median']:.1f}"] for c in cost]
    text += ("\n### Hook cost as classes and members grow: guest instructions per "
             "1-byte call of file I/O (a cached file)\n\n"
             + table(["limited classes", "members of class 1", "unconstrained caller",
                      "constrained caller"], rows))
    data = {f"m{m}": [[c["classes"], c["unconstrained"]["median"], c["constrained"]["median"]]
                      for c in cost if c["members"] == m]
            for m in sorted({c["members"] for c in cost})}
    script = ("set title 'Hook cost vs classes and members: guest instructions per "
              "1-byte call of file I/O'\n"
              "set xlabel 'limited classes'\nset ylabel 'instructions per call'\nset grid\n"
              "set key outside right\nset yrange [0:*]\nset xtics (1, 4, 8)\n"
              "plot " + ", ".join(
                  f"${b} using 1:2 with linespoints title 'unconstrained, {b[1:]} members', "
                  f"${b} using 1:3 with linespoints dt 2 title 'constrained, {b[1:]} members'"
                  for b in data) + "\n")
    gnuplot(results, "hook-cost", script, data)
    return text


# ---------------------------------------------------------------- scaling

def scaling(results, patched, vanilla):
    threads = dict(vanilla["threads"] if vanilla else {})
    threads.update(patched["threads"])
    rows = [[k.split("/")[0], k.split("/")[1], f"{v['median']:,.0f}",
             f"{v['min']:,.0f}–{v['max']:,.0f}"] for k, v in threads.items()]
    text = ("### Scaling: calls per second in real time, 1-byte read of /dev/zero and "
            "write to /dev/null, summed over threads\n\n"
            + table(["kernel / ratewin", "threads", "median calls/s", "range"], rows))
    names = list(dict.fromkeys(k.split("/")[0] for k in threads))
    bars(results, "scaling", "Unconstrained system calls per second with 1 and 2 threads",
         "calls per second", "set xlabel 'threads'\nset yrange [0:*]\n", names,
         [[t] + [threads[f"{n}/{t}"]["median"] for n in names] for t in (1, 2)])
    return text


# ---------------------------------------------------------------- reaction

def spread_text(s, unit=""):
    if s is None:
        return "never"
    if s["min"] == s["max"]:
        return f"{s['median']:.2f}{unit}"
    return f"{s['median']:.2f} ({s['min']:.2f}–{s['max']:.2f}){unit}"


def always_limited(name):
    """tc, io.max and a class in mode always hold their guest all the time:
    nothing to react to."""
    return name.startswith(("tc", "io.max", "guest held always"))


def paired(alone_runs, each):
    """Each run's host time against the host alone of its round, %: median
    (range), so that a drift of the machine's speed cancels out of each
    pair. Runs that do not name their round are set against the median of
    the host alone instead."""
    if all("round" in e for e in each):
        pcts = [(e["host_seconds"] / alone_runs[e["round"]] - 1) * 100 for e in each]
    else:
        pcts = [(e["host_seconds"] / statistics.median(alone_runs) - 1) * 100 for e in each]
    return f"{statistics.median(pcts):+.1f} ({min(pcts):+.0f} to {max(pcts):+.0f})"


def seconds_text(r):
    """What a kind's seconds are: real, or counted at 2 ns an instruction."""
    return "counted s (2 ns an instruction)" if r.get("clock") == "counted" else "s"


def reaction_table(r, runs):
    alone = r["host_alone_s"]
    rows = [["host alone", spread_text(alone)] + ["–"] * 5]
    for name, run in r["runs"].items():
        host = run["host_s"]
        slow = paired(r["host_alone_runs"], run["each"])
        times = [spread_text(run.get(k)) for k in
                 ("state_on_s", "to_throttle_s", "state_off_s", "to_release_s")]
        if always_limited(name):
            times = ["–", "always", "–", "never"]
        elif name.startswith("guest stopped"):
            # no class limit, and its sampler stops with it
            times = ["–"] * 4
        rows.append([f"beside {name}", spread_text(host), slow, *times])
    return table([f"host job ({runs} runs each)", f"completion {seconds_text(r)}, median (range)",
                  "vs host alone %: its round's, median (range)", "throttled state after s",
                  "guest at its limit after s", "state ended after s",
                  "guest released after s"], rows)


def reaction_timeline(results, kind, r):
    data = {}
    for i, run in enumerate(r["runs"].values()):
        data[f"g{i}"] = [[t, v / MiB] for t, v in run["guest_rates"]]
        data[f"h{i}"] = [[t, v / MiB] for t, v in run["host_rates"]]
    end = max(run["guest_rates"][-1][0] for run in r["runs"].values())
    script = [f"set multiplot layout {len(r['runs'])},1 title '{kind} I/O per 100 ms: "
              f"guest (limit {rate_text(r['guest_limit'])}) and host job, "
              "the run of median host time'",
              "set ylabel 'MiB/s'", "set grid", "set key top right", "set logscale y",
              "set yrange [0.1:*]", "set key opaque", f"set xrange [0:{end:.1f}]"]
    for i, (name, run) in enumerate(r["runs"].items()):
        script += [f"set title 'beside {name}'",
                   f"set arrow 1 from {run['host_start']},graph 0 to {run['host_start']},graph 1 nohead dt 3",
                   f"set arrow 2 from {run['host_end']},graph 0 to {run['host_end']},graph 1 nohead dt 3",
                   "set xlabel 's'" if i == len(r["runs"]) - 1 else "unset xlabel",
                   f"plot $g{i} using 1:2 with steps lc rgb '#b2182b' title 'guest', "
                   f"$h{i} using 1:2 with steps lc rgb '#2166ac' title 'host', "
                   f"{r['guest_limit'] / MiB} with lines dt 2 lc rgb 'black' title 'limit'"]
    script.append("unset multiplot")
    gnuplot(results, f"reaction-{kind}", "\n".join(script) + "\n", data)


def protection_plot(results, react):
    """The host job's completion time, median and range, beside each guest."""
    data, script = {}, ["set multiplot layout 1,2 title 'Host job completion time: median "
                        f"and range of {react['runs']} runs'",
                        "set style data histograms", "set style histogram errorbars gap 1 lw 1",
                        "set style fill solid 0.7 border -1", "set grid ytics",
                        "set yrange [0:*]", "set xtics rotate by -20"]
    for kind in ("file", "net"):
        r = react[kind]
        rows = [["alone", r["host_alone_s"]]] + [[n, run["host_s"]] for n, run in r["runs"].items()]
        data[kind] = [[f'"{n}"', s["median"], s["min"], s["max"]] for n, s in rows]
        script += [f"set title '{kind}'", f"set ylabel '{seconds_text(r)}'",
                   f"plot ${kind} using 2:3:4:xtic(1) notitle"]
    script.append("unset multiplot")
    gnuplot(results, "host-protection", "\n".join(script) + "\n", data, size=(1200, 500))


def reaction(results, react, _vanilla):
    text = ""
    for kind in ("file", "net"):
        r = react[kind]
        text += (f"\n### Host protection, {kind} I/O: guest limit "
                 f"{rate_text(r['guest_limit'])} (mode shared); "
                 f"{r.get('conditions', 'real time')}\n\n"
                 + reaction_table(r, react["runs"]))
        reaction_timeline(results, kind, r)
    protection_plot(results, react)
    return text


# ---------------------------------------------------------------- paper

def commonest_event(row):
    """'; P % after N-B events': the size of event most sleeps followed, if known."""
    sizes = row.get("sleep_bytes")
    if not sizes:
        return ""
    size = statistics.mode(sizes)
    return f"; {sizes.count(size) * 100 / len(sizes):.0f} % after {size}-B events"


def paper(results, pap, _vanilla):
    w = pap["workloads"]
    names = list(w)
    held = {n: w[n]["limited"] for n in names}
    mb = lambda b: f"{b / 1e6:.1f} MB"
    metrics = [
        ("Total file I/O", lambda r: mb(r["file_bytes"])),
        ("Total disk I/O", lambda r: mb(r["disk_bytes"])),
        ("Total I/O events", lambda r: f"{r['file_events']:,}"),
        ("Total sleep events", lambda r: f"{r['file_sleeps']:,}"),
        ("Total sleep time", lambda r: f"{r['file_sleep_ns'] / 1e9:.1f} s"),
        ("Total execution time", lambda r: f"{r['seconds']:.1f} s"),
        ("Average file I/O rate", lambda r: f"{r['rate'] / 1000:.0f} KB/s"),
        ("Average disk I/O rate", lambda r: f"{r['disk_rate'] / 1000:.0f} KB/s"),
    ]
    rows = [[m] + [f(held[n]) for n in names] for m, f in metrics]
    rows.append(["Execution time unthrottled"] + [f"{w[n]['unlimited_seconds']:.1f} s" for n in names])
    text = (f"\n### The paper's Table 1, at {pap['limit'] / 1000:g} KB/s\n\n"
            + table(["metric"] + names, rows))
    bucket_ms = 1
    data = {}
    for n in names:
        counts = {}
        for ns in held[n]["sleep_ns"]:
            b = int(ns / 1e6 / bucket_ms)
            counts[b] = counts.get(b, 0) + 1
        data[n] = [[b * bucket_ms + bucket_ms / 2, c] for b, c in sorted(counts.items())] or [[0, 0]]
    script = [f"set multiplot layout 1,{len(names)} title 'Sleep durations at "
              f"{pap['limit'] / 1000:g} KB/s (ratewin_sleep tracepoint, 1-ms buckets)'",
              "set style fill solid 0.7", f"set boxwidth {bucket_ms * 0.9}",
              "set xlabel 'sleep (ms)'", "set ylabel 'sleeps'",
              "set grid ytics", "set xrange [0:*]"]
    for n in names:
        sleeps = held[n]["sleep_ns"]
        mean = statistics.mean(sleeps) / 1e6 if sleeps else 0
        script += [f"set title '{n}: {len(sleeps)} sleeps, mean {mean:.1f} ms"
                   f"{commonest_event(held[n])}'",
                   f"plot ${n} using 1:2 with boxes notitle"]
    script.append("unset multiplot")
    gnuplot(results, "paper-sleeps", "\n".join(script) + "\n", data)
    return text


PARTS = {"accuracy": accuracy, "overhead": overhead, "reaction": reaction,
         "paper": paper, "scaling": scaling}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--command", required=True)
    p.add_argument("--seconds", type=int, required=True)
    p.add_argument("--commit", required=True)
    p.add_argument("patched")
    p.add_argument("vanilla")
    p.add_argument("results")
    args = p.parse_args()
    info = host_info(args)
    sections = []
    for part, report in PARTS.items():
        mine, ref = load_run(args.patched, part), load_run(args.vanilla, part)
        if mine is None:
            made = load(args.results, part)
            if made is None:
                continue
            mine, ref = (made["patched"], made["vanilla"]) if "patched" in made else (made, None)
        else:
            if part == "accuracy":
                mine = merge_accuracy(load(args.results, part), mine, args.command)
            made = info
            write_json(args.results, part,
                       info | ({"patched": mine, "vanilla": ref} if ref else mine))
        sections.append(report(args.results, mine, ref) + provenance(made))
    with open(os.path.join(args.results, "tables.md"), "w") as f:
        f.write("<!-- made by bench/report.py -->\n\n")
        f.write("\n".join(sections))


def provenance(made):
    """Which run a section's figures come from."""
    return (f"\nFrom `{made['command']}` on {made.get('date', '?')}, "
            f"commit {made.get('commit', '?')}.\n")

main()
