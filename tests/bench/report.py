#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# report.py - turn a benchmark guest's figure lines into docs/BENCHMARKS.md, or check them (--smoke).
#
#   report.py --data DATA.LOG --console CONSOLE.LOG --calibration FILE --guest-rc N
#             (--smoke | --out BENCHMARKS.md --meta KEY=VALUE...)
#
# The guest (tests/bench/t-*.sh) prints `# bench KEY VALUE` (one sample) and `# bench-info KEY TEXT`
# on its data channel. A cached workload's sample carries the mean time per iteration (KEY) and the
# percentiles of its iterations (KEY.p50, KEY.p10, KEY.min). Overheads are medians of per-round
# ratios (rounds alternate ABBA, so slow drift of a shared, emulated CPU cancels); IMA's are ratios
# of medians (its policy cannot be removed: before, then after). --smoke prints TAP, one line per
# figure, and exits non-zero if any is missing or not positive.
import argparse
import math
import re
import statistics
import sys

MIB = 1 << 20
CACHED = ("exec.static", "exec.dynamic", "mmap")
NAMES = {
    "exec.static": "fork + exec + wait, static program (image layer)",
    "exec.dynamic": "fork + exec + wait, `/usr/bin/true` (dynamic: ld.so maps libc)",
    "mmap": "mmap(PROT_EXEC) + munmap of liblzma (image layer)",
    "first": "first sight: fork + exec + wait of a new program of",
}


def parse(path):
    samples, info, tap = {}, {}, []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^# bench (\S+) (-?\d+)$", line)
            if m:
                samples.setdefault(m.group(1), []).append(int(m.group(2)))
                continue
            m = re.match(r"^# bench-info (\S+) ?(.*)$", line)
            if m:
                info.setdefault(m.group(1), []).append(m.group(2))
                continue
            m = re.match(r"^[a-z0-9_]+: (not ok|ok) (.*)$", line)
            if m:
                tap.append((m.group(1), m.group(2)))
    return samples, info, tap


def load_calibration(path):
    c = {}
    try:
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) == 2 and p[1].isdigit():
                    c.setdefault(p[0], []).append(int(p[1]))
    except OSError:
        pass
    return c


def med(xs):
    return statistics.median(xs) if xs else None


def pct(xs, p):
    """Nearest-rank percentile."""
    if not xs:
        return None
    s = sorted(xs)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def compare(s, base, on="on", off="off", paired=True):
    """One comparison of BASE.ON against BASE.OFF, by mean, per-iteration median and p10.

    paired: the median of per-round ratios (the samples alternate); otherwise the ratio of medians.
    """
    out = {"n": min(len(s.get(f"{base}.{on}", [])), len(s.get(f"{base}.{off}", [])))}
    for stat, suffix in (("mean", ""), ("p50", ".p50"), ("p10", ".p10")):
        a, b = s.get(f"{base}.{on}{suffix}", []), s.get(f"{base}.{off}{suffix}", [])
        out[f"{stat}.on"], out[f"{stat}.off"] = med(a), med(b)
        if paired:
            r = [x / y for x, y in zip(a, b) if y > 0]
            out[stat] = med(r)
            out[f"{stat}.lo"] = min(r) if r else None
            out[f"{stat}.hi"] = max(r) if r else None
        else:
            out[stat] = med(a) / med(b) if a and b and med(b) else None
    return out


def compute(s, info, c):
    v = {}
    for w in CACHED:
        v[w] = compare(s, w)
        v["ab." + w] = compare(s, "ab." + w)
        v["null." + w] = compare(s, "null." + w)
        v["nullp." + w] = compare(s, "nullp." + w)
        v["ima." + w] = compare(s, w, "ima-on", "ima-off", paired=False)
    v["first"] = compare(s, "first")
    v["ima.first"] = compare(s, "first", "ima-on", "ima-off", paired=False)
    size = int((info.get("first.size") or ["0"])[0])
    v["size"] = size
    ks = s.get("hash.kernel.Bps", [])
    v["hash.kernel"] = med(ks)
    for t in ("openssl", "sha256sum", "busybox"):
        full, empty = s.get(f"hash.{t}.ns", []), s.get(f"hash.{t}.empty_ns", [])
        ns, e = med(full), med(empty)
        v[f"hash.{t}.raw"] = size * 1e9 / ns if ns and size else None
        v[f"hash.{t}.startup"] = e
        # less the command's start-up: the same command on an empty file
        v[f"hash.{t}"] = size * 1e9 / (ns - e) if ns and e and size and ns > e else None
        # per file: the kernel's rate over this command's, taken on that file right after
        us = [size * 1e9 / (a - b) if a > b else None for a, b in zip(full, empty)]
        r = [k / u for k, u in zip(ks, us) if u]
        v[f"hash.{t}.ratio"] = med(r)
        v[f"hash.{t}.ratio.lo"] = min(r) if r else None
        v[f"hash.{t}.ratio.hi"] = max(r) if r else None
        hns = med(c.get(f"host.{t}.ns", []))
        v[f"host.{t}"] = size * 1e9 / hns if hns and size else None
    lat = s.get("latency.ns", [])
    v["lat.n"], v["lat.p50"], v["lat.p99"] = len(lat), pct(lat, 50), pct(lat, 99)
    v["lat.max"] = max(lat) if lat else None
    for k, key in (("entry", "cache.entry_bytes"), ("intel.n", "intel.hashes"),
                   ("intel.bytes", "intel.bytes"), ("intel.load", "intel.load.ns"),
                   ("intel.user", "intel.load.user_ns"), ("intel.sys", "intel.load.sys_ns"),
                   ("vmalloc", "mem.vmalloc.delta_kB"), ("vmallocinfo", "mem.vmallocinfo.whorl_bytes"),
                   ("slab", "mem.slab.delta_kB"), ("sunreclaim", "mem.sunreclaim.delta_kB"),
                   ("ima.count", "ima.measurements.on")):
        v[k] = med(s.get(key, []))
    # What the handlers cost an exec, from parts measured more precisely than the exec itself:
    # per full handler call (a container's executable mapping: armed minus disarmed, per mmap) and
    # per bare probe call (the empty kretprobes, per mmap), times how often each fires per exec.
    x, y = v["ab.mmap"], v["null.mmap"]
    full = x["p50.on"] - x["p50.off"] if x["p50.on"] and x["p50.off"] else None
    bare = y["p50.on"] - y["p50.off"] if y["p50.on"] and y["p50.off"] else None
    for w in ("exec.static", "exec.dynamic"):
        h = {k: med(s.get(f"hooks.{w}.{k}", [])) for k in ("hookExec", "hookMmap", "hookMprotect",
                                                          "containerEvents")}
        v[f"hooks.{w}"] = h
        base = v["ab." + w]["p50.off"]
        if None in h.values() or full is None or bare is None or not base:
            v[f"est.{w}"] = None
            continue
        calls = (h["hookExec"] + h["hookMmap"] + h["hookMprotect"]) / 1000
        ce = h["containerEvents"] / 1000
        ns = ce * max(full, 0) + max(calls - ce, 0) * max(bare, 0)
        v[f"est.{w}"] = {"ns": ns, "ratio": 1 + ns / base, "calls": calls, "ce": ce,
                         "full": full, "bare": bare, "base": base}
    v["host.parse"] = med(c.get("host.intel.parse.ns", []))
    v["host.parse.user"] = med(c.get("host.intel.parse.user_ns", []))
    v["first.busy"] = compare(s, "first", "busy", "off")
    ge, he = med(s.get("exec.static.off.p50", [])), med(c.get("host.exec.static.p50", []))
    v["guest.exec"], v["host.exec"] = ge, he
    v["tcg.exec"] = ge / he if ge and he else None
    for t in ("sha256sum", "openssl"):
        g, h = v[f"hash.{t}.raw"], v[f"host.{t}"]
        v[f"tcg.{t}"] = h / g if g and h else None
    return v


def fmt_pct(r):
    return "n/a" if r is None else f"{(r - 1) * 100:+.1f} %"


def fmt_range(x, stat):
    if x.get(f"{stat}.lo") is None:
        return ""
    return f" ({fmt_pct(x[f'{stat}.lo'])} … {fmt_pct(x[f'{stat}.hi'])})"


def fmt_ns(x):
    if x is None:
        return "n/a"
    if x >= 1e9:
        return f"{x / 1e9:.2f} s"
    if x >= 1e6:
        return f"{x / 1e6:.2f} ms"
    if x >= 1e3:
        return f"{x / 1e3:.1f} µs"
    return f"{x:.0f} ns"


def fmt_rate(x):
    return "n/a" if x is None else f"{x / 1e6:.1f} MB/s"


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


# Every figure --smoke insists on: a key with at least one sample, every sample positive.
SMOKE_KEYS = [f"{p}{w}.{st}{sfx}" for p in ("", "ab.", "null.", "nullp.") for w in CACHED
              for st in ("on", "off") for sfx in ("", ".p50", ".p10")]
SMOKE_KEYS += [f"{w}.{st}" for w in CACHED + ("first",) for st in ("ima-on", "ima-off")]
SMOKE_KEYS += [
    "cache.hits.on", "first.on", "first.off", "first.busy", "hash.kernel.Bps",
    "hooks.exec.static.hookExec", "hooks.exec.dynamic.hookMmap", "hooks.exec.dynamic.containerEvents",
    "hash.openssl.ns", "hash.sha256sum.ns", "hash.busybox.ns",
    "hash.openssl.empty_ns", "hash.sha256sum.empty_ns", "hash.busybox.empty_ns",
    "latency.ns", "cache.entry_bytes", "intel.load.ns", "intel.load.user_ns", "intel.hashes",
    "intel.bytes", "mem.vmalloc.delta_kB", "mem.vmallocinfo.whorl_bytes", "ima.measurements.on",
]
SMOKE_DERIVED = [(f"overhead {p}{w} {st}", (lambda p, w, st: lambda v: v[p + w][st])(p, w, st))
                 for p in ("", "ab.", "null.", "nullp.", "ima.") for w in CACHED for st in ("mean", "p50")]
SMOKE_DERIVED += [
    ("overhead first", lambda v: v["first"]["mean"]),
    ("overhead ima.first", lambda v: v["ima.first"]["mean"]),
    ("hash rate kernel", lambda v: v["hash.kernel"]),
    ("hash ratio openssl", lambda v: v["hash.openssl.ratio"]),
    ("hash ratio sha256sum", lambda v: v["hash.sha256sum.ratio"]),
    ("latency p50", lambda v: v["lat.p50"]),
    ("latency p99", lambda v: v["lat.p99"]),
]


def smoke(samples, v, tap, guest_rc):
    bad = 0

    def line(ok, name, why=""):
        nonlocal bad
        if ok:
            print(f"ok {name}")
        else:
            bad += 1
            print(f"not ok {name} - {why}")

    line(guest_rc == 0, "guest run", f"tests/qemu/run.sh exited {guest_rc}")
    for st, case in tap:
        if st == "not ok":
            line(False, f"guest: {case.split(' - ')[0]}", case.partition(" - ")[2] or "failed")
    for k in SMOKE_KEYS:
        xs = samples.get(k, [])
        if not xs:
            line(False, k, "no sample")
        elif any(x <= 0 for x in xs):
            line(False, k, f"non-positive sample(s): {[x for x in xs if x <= 0]}")
        else:
            line(True, k)
    for name, f in SMOKE_DERIVED:
        try:
            x = f(v)
        except (KeyError, TypeError):
            x = None
        line(x is not None and x > 0, name, f"computed {x!r}")
    print(f"# {bad} failed")
    return 1 if bad else 0


def markdown(v, samples, info, meta, console, guest_rc, tap):
    m = dict(kv.split("=", 1) for kv in meta)
    L = []
    a = L.append
    size = v["size"]
    size_s = f"{size // MIB} MiB" if size else "n/a"

    def gi(k):
        return (info.get(k) or ["n/a"])[0]

    a("<!-- SPDX-License-Identifier: GPL-2.0 -->")
    a("# Benchmarks")
    a("")
    a("Written by `make bench` (`bash tests/bench.sh`); do not edit by hand. What whorl costs a")
    a("container host, measured in one QEMU guest: the module loaded against the same guest with it")
    a("unloaded, and the kernel's own IMA on the same workloads.")
    a("")
    a("**Read the absolute numbers as emulated.** The guest runs under TCG (no KVM on the build")
    a("machine) on a CPU shared with other work (see the load average below), so every time is many")
    a("times a real machine's, and noisy. Only ratios taken inside this one boot are compared, between")
    a("runs that alternate (ABBA). Each cached run times every iteration: the mean, the median (p50)")
    a("and the 10th percentile (p10) of the iterations are kept. Contention on the host only ever")
    a("adds time, so p10 is the steadiest view of what the work costs and p50 the median the targets")
    a("are judged on; the mean is the most exposed to the host's load.")
    a("")
    a("## Machine and run")
    a("")
    a("| | |")
    a("|---|---|")
    a(f"| command | `{m.get('command', 'n/a')}` |")
    a(f"| date | {m.get('date', 'n/a')} |")
    a(f"| host | {m.get('host', 'n/a')} |")
    a(f"| guest kernel | {gi('kernel')} |")
    a(f"| guest | {m.get('guest', 'n/a')} |")
    a(f"| guest CPU | {gi('cpu')} |")
    a(f"| QEMU | {m.get('qemu', 'n/a')} |")
    a(f"| host load average | {m.get('load', 'n/a')} |")
    a(f"| wall time | {m.get('wall', 'n/a')} s |")
    a(f"| parameters | `{m.get('params', 'n/a').strip()}` |")
    a(f"| guest verdict | {'passed' if guest_rc == 0 else 'FAILED (see build/logs/bench/)'} |")
    a(f"| containers | {gi('container')} |")
    a(f"| kernel SHA-256 driver (whorl) | `{gi('hash.kernel.driver')}` |")
    a("")

    a("## Targets")
    a("")
    a("| target | measured | verdict |")
    a("|---|---|---|")
    rows = []
    for w, lim, what in (("exec.static", 1.02, "cached exec ≤ 2 %, static program"),
                         ("exec.dynamic", 1.02, "cached exec ≤ 2 %, dynamic `/usr/bin/true`"),
                         ("mmap", 1.05, "cached mmap ≤ 5 %")):
        for p, how in (("ab.", "kprobes armed vs disarmed, module loaded"),
                       ("", "module loaded vs unloaded")):
            x = v[p + w]
            r = x["p50"]
            rows.append((f"{what}: {how}",
                         f"p50 {fmt_pct(r)}{fmt_range(x, 'p50')}; p10 {fmt_pct(x['p10'])}; "
                         f"mean {fmt_pct(x['mean'])}", verdict(None if r is None else r <= lim)))
        e = v.get(f"est.{w}")
        if e:
            rows.append((f"{what}: from the handlers' measured cost (an estimate, see below)",
                         f"{fmt_pct(e['ratio'])} ({fmt_ns(e['ns'])} per exec of {fmt_ns(e['base'])})",
                         verdict(e["ratio"] <= lim) + " (estimate)"))
    x, y = v["first"], v["first.busy"]
    r = x["mean"]
    rows.append((f"first-sight added exec latency ≤ 5 % at {size_s}",
                 f"{fmt_pct(r)}{fmt_range(x, 'mean')}, n = {x['n']}; the control, no module but a CPU "
                 f"busy during the exec: {fmt_pct(y['mean'])}", verdict(None if r is None else r <= 1.05)))
    k = v["hash.kernel"]
    for tool, label in (("openssl", "`openssl dgst -sha256`"), ("sha256sum", "coreutils `sha256sum`")):
        r = v[f"hash.{tool}.ratio"]
        rows.append((f"kernel hashing ≥ 90 % of {label} on the same file",
                     "n/a" if r is None else
                     f"{r * 100:.0f} % (files {v[f'hash.{tool}.ratio.lo'] * 100:.0f} … "
                     f"{v[f'hash.{tool}.ratio.hi'] * 100:.0f} %; {fmt_rate(k)} vs {fmt_rate(v[f'hash.{tool}'])})",
                     verdict(None if r is None else r >= 0.9)))
    e = v["entry"]
    rows.append(("≤ 128 bytes of kernel memory per cache entry", "n/a" if e is None else f"{e} bytes",
                 verdict(None if e is None else e <= 128)))
    ib, n, vm = v["intel.bytes"], v["intel.n"], v["vmalloc"]
    rows.append((f"{n or 0:,} intel hashes in ≤ 48 MiB: the module's figure",
                 "n/a" if ib is None else f"{ib / MIB:.1f} MiB", verdict(None if ib is None else ib <= 48 * MIB)))
    rows.append(("… the same, by the kernel's VmallocUsed delta",
                 "n/a" if vm is None else f"{vm / 1024:.1f} MiB", verdict(None if vm is None else vm * 1024 <= 48 * MIB)))
    load = v["intel.load"]
    rows.append((f"{n or 0:,} intel hashes loaded in ≤ 3 s (in the emulated guest)",
                 fmt_ns(load), verdict(None if load is None else load <= 3e9)))
    gu, hu = v["intel.user"], v["host.parse.user"]
    if load and gu and hu:
        f = gu / hu
        rows.append(("… scaled to native speed by the tool's own slowdown (an estimate)",
                     f"≈ {load / f / 1e9:.2f} s: the guest's {fmt_ns(load)} ÷ {f:.1f}, the guest/host ratio of "
                     f"the tool's CPU time parsing this feed ({fmt_ns(gu)} vs {fmt_ns(hu)} on the host)",
                     verdict(load / f <= 3e9) + " (estimate)"))
    for r in rows:
        a(f"| {r[0]} | {r[1]} | {r[2]} |")
    a("")

    a("## Cached exec and mmap")
    a("")
    a("In a runc container of the e2e image, the module's cache warm (checked: during each timed")
    a("loaded round the module hashed nothing; the cache answered "
      f"{min(samples.get('cache.hits.on', [0]))} to {max(samples.get('cache.hits.on', [0]))} lookups per round).")
    a("Time per iteration; overheads are medians of the per-round (per block pair) ratios, range in")
    a("brackets.")
    a("")
    a("**Module loaded vs unloaded**, in alternating rounds (a module load empties the cache: each")
    a("loaded round starts by warming it). Loading takes seconds under emulation, so rounds are far")
    a("apart and the host's load moves between them.")
    a("")

    def cached_table(prefix, on, off):
        a(f"| workload | p50 {on} | p50 {off} | overhead p50 | overhead p10 | overhead mean | rounds |")
        a("|---|---|---|---|---|---|---|")
        for w in CACHED:
            x = v[prefix + w]
            a(f"| {NAMES[w]} | {fmt_ns(x['p50.on'])} | {fmt_ns(x['p50.off'])} | {fmt_pct(x['p50'])}"
              f"{fmt_range(x, 'p50')} | {fmt_pct(x['p10'])}{fmt_range(x, 'p10')} | {fmt_pct(x['mean'])}"
              f"{fmt_range(x, 'mean')} | {x['n']} |")
        a("")

    cached_table("", "loaded", "unloaded")
    a("**Kprobes armed vs disarmed**, module loaded: the finer measurement. The cache stays warm and")
    a("the kernel's kprobes, which carry the module's exec and mmap hooks, are switched on and off")
    a("through `/sys/kernel/debug/kprobes/enabled` between blocks of one run in the container")
    a("(ABBA, seconds apart). It leaves out only the module's `sched_process_exec` tracepoint")
    a("callback, which returns at once when no exec is pending (an atomic read).")
    a("")
    cached_table("ab.", "armed", "disarmed")
    a("### Where the time goes")
    a("")
    a("The same blocks with the module unloaded and empty probes in its place, on the three")
    a("functions it hooks (`security_bprm_check`, `security_mmap_file`, `security_file_mprotect`):")
    a("tracefs kprobe events, enabled, recording nothing (`tracing_on` 0). As kretprobes (`r:`, what")
    a("the module registers: an entry on ftrace and a rethook return) they are the probe machinery's")
    a("cost alone; as plain kprobes (`p:`, entry only) what that machinery costs without the return")
    a("half. The probes fire on every call, every mmap included, executable or not; what whorl adds")
    a("beyond the empty kretprobes is its handlers.")
    a("")
    a("| workload | whorl's kretprobes | empty kretprobes | empty kprobes, entry only | whorl's handlers (p50 difference per iteration) |")
    a("|---|---|---|---|---|")
    for w in CACHED:
        x, y, z = v["ab." + w], v["null." + w], v["nullp." + w]
        d = None
        if None not in (x["p50.on"], x["p50.off"], y["p50.on"], y["p50.off"]):
            d = (x["p50.on"] - x["p50.off"]) - (y["p50.on"] - y["p50.off"])
        a(f"| {NAMES[w]} | p50 {fmt_pct(x['p50'])}, p10 {fmt_pct(x['p10'])} | "
          f"p50 {fmt_pct(y['p50'])}, p10 {fmt_pct(y['p10'])} | p50 {fmt_pct(z['p50'])}, p10 {fmt_pct(z['p10'])} | "
          f"{'n/a' if d is None else ('−' if d < 0 else '') + fmt_ns(abs(d))} |")
    a("")

    a("**Per exec, from the parts.** An exec's overhead is too small for this machine's noise to")
    a("measure directly, so it is also estimated from what can be measured precisely: a full handler")
    a("call costs what one executable mmap of a cached library costs armed over disarmed; a bare")
    a("probe call (the handler returning at once: a non-executable mmap, a host task, the program")
    a("mapping itself) costs what one mmap costs under the empty kretprobes; the module's counters")
    a("say how often each fires per exec (`containerEvents`: calls that got past the first checks).")
    a("")
    a("| per iteration | hookExec | hookMmap | hookMprotect | containerEvents | estimated time | of an exec (p50, disarmed) |")
    a("|---|---|---|---|---|---|---|")
    for w in ("exec.static", "exec.dynamic"):
        h, e = v.get(f"hooks.{w}") or {}, v.get(f"est.{w}")
        cells = " | ".join("n/a" if h.get(k) is None else f"{h[k] / 1000:.2f}"
                           for k in ("hookExec", "hookMmap", "hookMprotect", "containerEvents"))
        a(f"| {NAMES[w]} | {cells} | {fmt_ns(e['ns']) if e else 'n/a'} | "
          f"{fmt_pct(e['ratio']) if e else 'n/a'} of {fmt_ns(e['base']) if e else 'n/a'} |")
    e = v.get("est.exec.static") or v.get("est.exec.dynamic")
    if e:
        a("")
        a(f"(A full handler call: {fmt_ns(e['full'])}; a bare probe call: {fmt_ns(e['bare'])}; both"
          " medians per mmap, armed minus disarmed, in this guest.)")
    a("")
    for k, what in (("trace.mmap", "one executable mmap of the cached library (`hook_mmap_file`)"),
                    ("trace.bprm", "one exec of the cached static program (`hook_bprm_check`)")):
        t = info.get(k, [])
        if t:
            a(f"The handler on {what}, as ftrace's function_graph tracer records it (children to")
            a("depth 5). Tracing inflates each recorded call (about a microsecond each under TCG), so")
            a("read the tree for what is called, not for the durations:")
            a("")
            a("```")
            for y in t:
                a(y)
            a("```")
            a("")
    a("## First sight")
    a("")
    a(f"A new {size_s} program (the static nop padded with fresh bytes: still a valid ELF that runs),")
    a("written in the container's upper layer, then one fork + exec + wait of it, timed. With the")
    a("module loaded it is hashed on the worker after the exec, asynchronously; the timing ends when")
    a("the program has exited. Rounds alternate loaded/unloaded; each loaded round waits for the hash.")
    a("")
    a("The control (\"busy\"): the module unloaded and, from just before the exec until it is")
    a("timed, a child of the benchmark spinning on a CPU, as the worker's hash does. If the loaded")
    a("exec is no slower than the busy one, what the module adds to a first sight is the CPU its")
    a("hash takes from a 2-CPU guest on a shared host, not time inside the exec.")
    a("")
    x, y = v["first"], v["first.busy"]
    a("| | median | against unloaded (median of round ratios) | samples |")
    a("|---|---|---|---|")
    a(f"| module loaded | {fmt_ns(x['mean.on'])} | {fmt_pct(x['mean'])}{fmt_range(x, 'mean')} | "
      f"{', '.join(fmt_ns(z) for z in samples.get('first.on', []))} |")
    a(f"| unloaded, a CPU busy (control) | {fmt_ns(y['mean.on'])} | {fmt_pct(y['mean'])}{fmt_range(y, 'mean')} | "
      f"{', '.join(fmt_ns(z) for z in samples.get('first.busy', []))} |")
    a(f"| unloaded | {fmt_ns(x['mean.off'])} | — | {', '.join(fmt_ns(z) for z in samples.get('first.off', []))} |")
    a("")

    a("## Fingerprint throughput")
    a("")
    a(f"Each loaded first sight's {size_s} file, hashed by the module's worker and then, right after,")
    a("by userspace in the same guest, through the container's overlay mount as the kernel read it.")
    a("The module's rate is Δ`bytesHashed` / Δ`hashNanoseconds` (`whorl status --json`) over the")
    a("first sight (reading the file included; a few small programs the exec ran count too);")
    a("userspace's is the file size over the command's wall time less its start-up (the same command")
    a("on an empty file). The targets compare the two file by file (median of the ratios).")
    a("")
    a("| SHA-256 of the file | guest: hashing | guest: whole command | start-up | host, whole command (scale) |")
    a("|---|---|---|---|---|")
    a(f"| whorl (kernel, `{gi('hash.kernel.driver')}`) | {fmt_rate(v['hash.kernel'])} | — | — | — |")
    for t, label in (("openssl", f"`openssl dgst -sha256` ({gi('hash.openssl')})"),
                     ("sha256sum", "coreutils `sha256sum`"), ("busybox", "busybox `sha256sum`")):
        a(f"| {label} | {fmt_rate(v[f'hash.{t}'])} | {fmt_rate(v[f'hash.{t}.raw'])} | "
          f"{fmt_ns(v[f'hash.{t}.startup'])} | {fmt_rate(v.get(f'host.{t}'))} |")
    a("")
    a(f"Kernel samples: {', '.join(fmt_rate(y) for y in samples.get('hash.kernel.Bps', []))}.")
    cm = re.search(r"\(\s*(\d+)U?\s*<<\s*(\d+)\s*\)", m.get("hash_chunk", ""))
    kr = v["hash.kernel"]
    if cm and kr:
        chunk = int(cm.group(1)) << int(cm.group(2))
        a(f"The module reads and hashes {chunk // 1024} KiB at a time (`WHORL_HASH_CHUNK`), and the")
        a("kernel's x86 SHA-256 glue runs each update between `kernel_fpu_begin()` and")
        a(f"`kernel_fpu_end()`, with preemption off: at the rate measured here, {fmt_ns(chunk / kr * 1e9)}")
        a("per update on that CPU.")
    a(f"The guest's CPU: {gi('cpu')}. TCG emulates each instruction set at its own cost: AVX2, which")
    a("the kernel's driver and OpenSSL both use (no SHA-NI is offered), costs far more per byte")
    a("under emulation than the scalar C of coreutils and busybox, so the ranking here is not the")
    a("native one; `openssl` is the like-for-like comparison, and the host column gives the scale.")
    a("")

    a("## Finding latency")
    a("")
    a("A program matched by a name rule runs in the container, one exec every 50 ms, each reported")
    a("(report-once window 0). Latency = the time `bench-lines` read the relay's JSON line minus the")
    a("finding's `eventTime`, both CLOCK_REALTIME in the guest; `eventTime` is taken at the")
    a("`sched_process_exec` tracepoint, when the exec has succeeded. It spans the queue, the worker,")
    a("netlink, the relay's enrichment and its JSON output.")
    a("")
    a("| findings | p50 | p99 | max |")
    a("|---|---|---|---|")
    a(f"| {v['lat.n']} | {fmt_ns(v['lat.p50'])} | {fmt_ns(v['lat.p99'])} | {fmt_ns(v['lat.max'])} |")
    a("")

    a("## Memory")
    a("")
    vi = v["vmallocinfo"]
    a("| | |")
    a("|---|---|")
    a(f"| per fingerprint cache entry (`cache.entryBytes`: slab object + bucket share) | {v['entry']} bytes |")
    for y in info.get("cache.slab", []):
        a(f"| `whorl_cache_entry` in /proc/slabinfo | {y} |")
    a(f"| intel hashes loaded | {v['intel.n'] or 0:,} ({gi('intel.feed')}) |")
    a(f"| intel set, the module's figure (`intel.bytes`) | {'n/a' if ib is None else f'{ib:,} bytes ({ib / MIB:.1f} MiB)'} |")
    a(f"| VmallocUsed delta (/proc/meminfo) | {'n/a' if vm is None else f'{vm:,} kB ({vm / 1024:.1f} MiB)'} |")
    a(f"| /proc/vmallocinfo areas allocated by `[whorl]` (delta, guard pages included) | {'n/a' if vi is None else f'{vi:,} bytes ({vi / MIB:.1f} MiB)'} |")
    a(f"| Slab delta / SUnreclaim delta (/proc/meminfo) | {v['slab']} kB / {v['sunreclaim']} kB |")
    a(f"| time to load them (`whorl intel load`, median of {len(samples.get('intel.load.ns', []))}) | {fmt_ns(load)} |")
    a(f"| … CPU time of the tool in its own code (parsing) / in the kernel (netlink, the module building the set) | "
      f"{fmt_ns(v['intel.user'])} / {fmt_ns(v['intel.sys'])} |")
    a(f"| the tool parsing the same feed natively on the host (`whorl intel load` with no module there: it parses "
      f"the whole feed first), wall / CPU | {fmt_ns(v['host.parse'])} / {fmt_ns(v['host.parse.user'])} |")
    a("")
    a(f"Before and after (module loaded with an empty set, then after the loads; `drop_caches` first): "
      f"{gi('mem.meminfo')}. /proc/slabinfo {gi('mem.slabinfo')}.")
    a("")

    a("## The incumbent: IMA")
    a("")
    a("The same guest and container, whorl unloaded. The guest boots with no `ima_policy=`: IMA is")
    a("built into Debian's kernel but, with no policy, measures nothing. The workloads run, then this")
    a("policy is written to `/sys/kernel/security/ima/policy` (Debian's kernel takes one write, and")
    a("it cannot be taken back) and they run again:")
    a("")
    a("```")
    a(gi("ima.policy").replace("; ", "\n"))
    a("```")
    a("")
    a("Not `ima_policy=tcb` for the baseline: the built-in tcb policy exempts tmpfs, procfs and the")
    a("like but not overlayfs, so a tcb boot already measures every program and library a container")
    a("runs (and every file root reads) and has no IMA-free baseline for these workloads. IMA hashes")
    a("synchronously, inside the exec or the mmap, the first time it sees a file; afterwards its")
    a("per-inode state answers. Ratios of medians (before, then after: no alternation possible).")
    a("")
    a("| workload | p50 with the policy | p50 without | IMA's overhead p50 | … mean | whorl's overhead p50, for comparison |")
    a("|---|---|---|---|---|---|")
    for w in CACHED:
        x = v["ima." + w]
        a(f"| {NAMES[w]} | {fmt_ns(x['p50.on'])} | {fmt_ns(x['p50.off'])} | {fmt_pct(x['p50'])} | "
          f"{fmt_pct(x['mean'])} | {fmt_pct(v['ab.' + w]['p50'])} (armed/disarmed), {fmt_pct(v[w]['p50'])} (loaded/unloaded) |")
    x = v["ima.first"]
    a(f"| {NAMES['first']} {size_s} | {fmt_ns(x['mean.on'])} | {fmt_ns(x['mean.off'])} | — | "
      f"{fmt_pct(x['mean'])} | {fmt_pct(v['first']['mean'])} |")
    a("")
    a(f"IMA's measurement list grew by {v['ima.count']} entries under the policy ({gi('ima.measurements')}).")
    ent = info.get("ima.entry", [])
    if ent:
        a("For example:")
        a("")
        a("```")
        for y in ent[:3]:
            a(y.strip())
        a("```")
    a("")
    a("IMA and EVM in the guest's kernel log:")
    a("")
    a("```")
    for y in console[:24]:
        a(y)
    a("```")
    a("")

    a("## Scale: the guest against the host")
    a("")
    a("| same work | guest (TCG) | host (native) | guest slower by |")
    a("|---|---|---|---|")
    for tool in ("openssl", "sha256sum"):
        g, h = v[f"hash.{tool}.raw"], v[f"host.{tool}"]
        a(f"| {tool}, {size_s}, whole command | {fmt_rate(g)} | {fmt_rate(h)} | {'n/a' if not (g and h) else f'{h / g:.1f}×'} |")
    ge, he = v["guest.exec"], v["host.exec"]
    a(f"| fork + exec + wait, static program (p50) | {fmt_ns(ge)} | {fmt_ns(he)} | {'n/a' if not (ge and he) else f'{ge / he:.1f}×'} |")
    a("")

    a("## Reading the misses")
    a("")
    for para in (
        "**Cached exec and mmap.** Under TCG on a shared 2-CPU host the spread between rounds (the "
        "ranges in brackets) is wider than the 2 % and 5 % targets, so one boot cannot settle them "
        "either way; the armed/disarmed blocks are the finer view. \"Where the time goes\" splits "
        "the cost: the probe machinery alone (empty kretprobes) and whorl's handlers. The handler "
        "traces show what each executable mapping of a cached file costs: the container lookup "
        "(cgroup to cached attribution), the overlay layer, the cache, intel and the name rules. "
        "`d_path()` was among the larger single costs; the handlers now build the path only for a "
        "file that is reported (or on tmpfs, to tell `/dev/shm`). What remains is the container and "
        "layer work on every call: a per-process memo of files already judged would take it off "
        "the hot path; not done.",
        "**First sight.** No exec waits for its hash: the worker hashes after the exec, and the "
        "loaded rounds' extra time is the hash's CPU taken from a 2-vCPU guest on a shared host. "
        "The control row (module unloaded, a CPU kept busy during the exec) measures that effect "
        "alone; IMA, which hashes inside the exec, shows what a synchronous hash costs.",
        "**Hashing speed.** The kernel's `sha256-avx2` and OpenSSL both run AVX2 code, which TCG "
        "emulates at a high cost per byte, so `openssl` is the like-for-like comparison; coreutils' "
        "and busybox's scalar C is faster only under emulation. The module hashes in 256 KiB "
        "reads through the page cache: the rest of the gap to OpenSSL is the read path and the "
        "worker's scheduling, which this emulated machine cannot separate from noise.",
        "**Intel load time.** Most of it is the tool parsing the text feed, as slow under emulation "
        "as any userspace code; the estimate row scales it by the tool's own guest/host slowdown.",
    ):
        a(para)
        a("")

    failed = [c for st, c in tap if st == "not ok"]
    if failed:
        a("## Guest failures")
        a("")
        for c in failed:
            a(f"- {c}")
        a("")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--console", required=True)
    ap.add_argument("--calibration", required=True)
    ap.add_argument("--guest-rc", type=int, default=0)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--meta", action="append", default=[])
    o = ap.parse_args()

    try:
        samples, info, tap = parse(o.data)
    except OSError as e:
        samples, info, tap = {}, {}, [("not ok", f"data channel - {e}")]
    v = compute(samples, info, load_calibration(o.calibration))
    if o.smoke:
        return smoke(samples, v, tap, o.guest_rc)

    console = []
    try:
        with open(o.console, errors="replace") as f:
            for line in f:
                if re.search(r"\b(ima|evm|integrity): ", line):
                    console.append(line.rstrip("\n"))
    except OSError:
        pass
    text = markdown(v, samples, info, o.meta, console, o.guest_rc, tap)
    with open(o.out, "w") as f:
        f.write(text)
    summary = text.split("## Targets", 1)[1].split("\n## ", 1)[0]
    print("Targets" + summary.rstrip())
    print(f"(written to {o.out})")
    missing = [k for k in SMOKE_KEYS if not samples.get(k)]
    if missing:
        print(f"bench: no figure for: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
