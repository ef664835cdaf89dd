#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# manifests.py - deploy/ parses, and its manifests and log-shipping snippets say what docs/INSTALL.md promises.
#
# Usage: python3 tests/packaging/manifests.py    (TAP lines; exit 1 on any failure)
import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPLOY = os.path.join(REPO, "deploy")
K8S = os.path.join(DEPLOY, "k8s")
VERSION = open(os.path.join(REPO, "VERSION")).read().strip()

# Intel line grammar (issue 4, the tool's documented format).
CATEGORIES = ("malicious", "container-escape", "k8s-attack", "recon")
INTEL_HASH = re.compile(r"^[0-9A-Fa-f]{64}(\s+(%s)(\s+\S.*)?)?$" % "|".join(CATEGORIES))
INTEL_NAME = re.compile(r"^name:[^\s/]+\s+(%s)(\s+\S.*)?$" % "|".join(CATEGORIES))

results = []


def case(name, passed, detail=""):
    """Record one TAP case; detail is printed when it fails."""
    results.append(bool(passed))
    n = len(results)
    print(("ok %d - %s" if passed else "not ok %d - %s") % (n, name))
    if not passed and detail:
        for line in str(detail).splitlines():
            print("# " + line)
    return bool(passed)


def load_all():
    """Every YAML file under deploy/: {relative path: [documents]} (parse errors recorded)."""
    docs = {}
    for root, _, files in os.walk(DEPLOY):
        for f in sorted(files):
            if not f.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, REPO)
            try:
                with open(path) as fh:
                    parsed = [d for d in yaml.safe_load_all(fh) if d is not None]
                case("%s parses as YAML (%d document(s))" % (rel, len(parsed)), parsed)
                docs[rel] = parsed
            except yaml.YAMLError as e:
                case("%s parses as YAML" % rel, False, e)
    return docs


def k8s_objects(docs):
    return [(rel, d) for rel, ds in docs.items() if rel.startswith("deploy/k8s/")
            for d in ds if isinstance(d, dict) and "apiVersion" in d and d.get("kind") not in (None, "Kustomization")]


def argv(container):
    return list(container.get("command") or []) + list(container.get("args") or [])


def flag_value(args, flag):
    """The value after --flag or in --flag=value; None if absent."""
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(flag + "="):
            return a.split("=", 1)[1]
    return None


def check_daemonset(objs):
    daemonsets = [(rel, o) for rel, o in objs if o["kind"] == "DaemonSet"]
    if not case("exactly one DaemonSet under deploy/k8s", len(daemonsets) == 1,
                [rel for rel, _ in daemonsets]):
        return
    _, ds = daemonsets[0]
    meta, spec = ds["metadata"], ds["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"].get("labels", {})
    selector = spec["selector"].get("matchLabels", {})
    namespace = meta.get("namespace")

    case("DaemonSet selector matches its pod labels",
         selector and all(labels.get(k) == v for k, v in selector.items()), (selector, labels))
    case("hostPID is true (findings name host processes)", pod.get("hostPID") is True)
    case("hostNetwork is true (the genl family lives in the initial netns)",
         pod.get("hostNetwork") is True)
    case("dnsPolicy is ClusterFirstWithHostNet, as hostNetwork pods need",
         pod.get("dnsPolicy") == "ClusterFirstWithHostNet")
    tolerations = pod.get("tolerations") or []
    case("tolerations let it run on every node (operator Exists, no key)",
         any(t.get("operator") == "Exists" and not t.get("key") for t in tolerations), tolerations)

    containers = pod.get("containers") or []
    relays = [c for c in containers if "relay" in argv(c)]
    if not case("one container runs `whorl relay`", len(relays) == 1, [argv(c) for c in containers]):
        return
    relay = relays[0]
    args = argv(relay)
    sc = relay.get("securityContext") or {}
    caps = (sc.get("capabilities") or {}).get("add") or []
    case("relay is privileged or has CAP_NET_ADMIN",
         sc.get("privileged") is True or "NET_ADMIN" in caps or "CAP_NET_ADMIN" in caps, sc)
    case("relay writes JSON to stdout (no --output, a JSON --format if given)",
         flag_value(args, "--output") is None
         and flag_value(args, "--format") in (None, "scc", "flat", "json"), args)

    intel = flag_value(args, "--intel")
    if case("relay args contain --intel FILE", intel, args):
        mounts = {m["mountPath"].rstrip("/"): m for m in relay.get("volumeMounts") or []}
        mount = mounts.get(os.path.dirname(intel))
        volumes = {v["name"]: v for v in pod.get("volumes") or []}
        vol = volumes.get(mount["name"]) if mount else None
        cm_name = (vol or {}).get("configMap", {}).get("name")
        case("--intel %s is in a mounted ConfigMap volume" % intel, cm_name,
             "mounts: %s" % sorted(mounts))
        cms = {o["metadata"]["name"]: o for _, o in objs if o["kind"] == "ConfigMap"}
        cm = cms.get(cm_name)
        key = os.path.basename(intel)
        items = (vol or {}).get("configMap", {}).get("items")
        if items:
            key = next((i["key"] for i in items if i["path"] == os.path.basename(intel)), None)
        if case("ConfigMap %s is defined in deploy/k8s and has key %s" % (cm_name, key),
                cm and key in (cm.get("data") or {})):
            case("ConfigMap %s is in the DaemonSet's namespace" % cm_name,
                 cm["metadata"].get("namespace") == namespace)
            check_intel(cm["data"][key], "ConfigMap %s/%s" % (cm_name, key))

    probe = relay.get("readinessProbe") or {}
    cmd = (probe.get("exec") or {}).get("command") or []
    case("readinessProbe asks the module for status (whorl status)", cmd[:2] == ["whorl", "status"], probe)

    every = containers + (pod.get("initContainers") or [])
    for c in every:
        res = c.get("resources") or {}
        case("container %s has cpu and memory requests and limits" % c["name"],
             all(k in (res.get(kind) or {}) for kind in ("requests", "limits") for k in ("cpu", "memory")),
             res)
    images = {c["image"] for c in every}
    case("every container runs the one whorl image, tagged VERSION (%s)" % VERSION,
         images == {"whorl:%s" % VERSION}, images)

    loaders = [c for c in pod.get("initContainers") or [] if "modprobe whorl" in " ".join(argv(c))]
    if case("an init container runs `modprobe whorl`", len(loaders) == 1):
        loader = loaders[0]
        mods = {m["mountPath"]: m for m in loader.get("volumeMounts") or []}
        vol = {v["name"]: v for v in pod.get("volumes") or []}.get((mods.get("/lib/modules") or {}).get("name"))
        case("it sees the host's /lib/modules read-only",
             vol and vol.get("hostPath", {}).get("path") == "/lib/modules"
             and mods["/lib/modules"].get("readOnly") is True, mods)
        case("it may load modules (privileged or CAP_SYS_MODULE)",
             (loader.get("securityContext") or {}).get("privileged") is True
             or "SYS_MODULE" in ((loader.get("securityContext") or {}).get("capabilities") or {}).get("add", []))
        script = argv(loader)[-1]
        case("its shell script is valid sh", subprocess.run(["sh", "-n", "-c", script]).returncode == 0, script)

    namespaces = [o for _, o in objs if o["kind"] == "Namespace"]
    ns = next((o for o in namespaces if o["metadata"]["name"] == namespace), None)
    case("namespace %s is defined and Pod Security admits privileged pods" % namespace,
         ns and ns["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") == "privileged")
    return meta["name"], namespace, relay["name"]


def check_intel(text, where):
    bad = []
    entries = 0
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        entries += 1
        if not (INTEL_HASH.match(s) or INTEL_NAME.match(s)):
            bad.append("line %d: %s" % (i, s))
    case("%s: %d intel entries, every line in the intel format" % (where, entries),
         entries > 0 and not bad, "\n".join(bad))


def check_kustomization(objs):
    path = os.path.join(K8S, "kustomization.yaml")
    with open(path) as fh:
        k = yaml.safe_load(fh)
    listed = set(k.get("resources") or [])
    manifests = {os.path.basename(rel) for rel, _ in objs if os.path.dirname(rel) == "deploy/k8s"}
    case("kustomization.yaml lists exactly the manifests in deploy/k8s",
         listed == manifests, "listed %s, present %s" % (sorted(listed), sorted(manifests)))
    tags = [i.get("newTag") for i in k.get("images") or [] if i.get("name") == "whorl"]
    case("kustomization.yaml tags the whorl image with VERSION (%s)" % VERSION, tags == [VERSION], tags)


def check_k8s_logging(docs, ds_name, namespace, container):
    # The names Kubernetes gives the relay's log files.
    pod = "%s-x7k2p" % ds_name
    cri_file = "/var/log/containers/%s_%s_%s-%s.log" % (pod, namespace, container, "0" * 64)
    pod_file = "/var/log/pods/%s_%s_%s/%s/0.log" % (namespace, pod, "1d2e3f40-0000-4000-8000-000000000000",
                                                   container)
    fb = docs["deploy/k8s/logging/fluent-bit.yaml"][0]
    tails = [i for i in fb["pipeline"]["inputs"] if i["name"] == "tail"]
    case("Fluent Bit tails the relay's container log (%s)" % os.path.basename(cri_file),
         any(fnmatch.fnmatch(cri_file, t["path"]) for t in tails), [t["path"] for t in tails])
    case("Fluent Bit decodes the CRI framing and parses the finding as JSON",
         any(t.get("multiline.parser") == "cri" for t in tails)
         and any(f["name"] == "parser" and f.get("key_name") == "log"
                 and any(p["name"] == f["parser"] and p["format"] == "json" for p in fb.get("parsers", []))
                 for f in fb["pipeline"]["filters"]))

    vec = docs["deploy/k8s/logging/vector.yaml"][0]
    src = next(iter(vec["sources"].values()))
    selector = dict(kv.split("=", 1) for kv in src.get("extra_label_selector", "").split(","))
    ds_labels = {"app.kubernetes.io/name": ds_name}
    case("Vector selects the relay pods by their label",
         src["type"] == "kubernetes_logs" and all(ds_labels.get(k) == v for k, v in selector.items()), selector)
    case("Vector parses the message as JSON",
         any("parse_json" in t.get("source", "") for t in vec["transforms"].values()))

    otel = docs["deploy/k8s/logging/otel-collector.yaml"][0]
    rec = otel["receivers"]["filelog/whorl"]
    case("OpenTelemetry Collector reads the relay's pod log (%s)" % pod_file,
         any(fnmatch.fnmatch(pod_file, g) for g in rec["include"]), rec["include"])
    ops = [o["type"] for o in rec["operators"]]
    case("OpenTelemetry Collector strips CRI framing before the JSON parser",
         "container" in ops and "json_parser" in ops and ops.index("container") < ops.index("json_parser"), ops)
    pipes = otel["service"]["pipelines"]
    case("OpenTelemetry Collector's logs pipeline uses the filelog receiver",
         any("filelog/whorl" in p["receivers"] for p in pipes.values()))
    case("OpenTelemetry Collector's extensions are declared",
         set(otel["service"].get("extensions", [])) <= set(otel.get("extensions", {})))


def check_journald(docs):
    unit = os.path.join(DEPLOY, "systemd", "whorl.service")
    unit_name = os.path.basename(unit)
    case("deploy/systemd/whorl.service exists (the unit the journald path follows)", os.path.isfile(unit))
    if os.path.isfile(unit):
        text = open(unit).read()
        out = re.findall(r"^StandardOutput=(\S+)", text, re.M)
        case("whorl.service sends stdout to the journal (default or journal)",
             not out or out[-1].startswith("journal"), out)
    vec = docs["deploy/journald/vector.yaml"][0]
    src = next(iter(vec["sources"].values()))
    case("Vector's journald source follows %s" % unit_name,
         src["type"] == "journald" and unit_name in src.get("include_units", []))
    fb = docs["deploy/journald/fluent-bit.yaml"][0]
    sd = [i for i in fb["pipeline"]["inputs"] if i["name"] == "systemd"]
    case("Fluent Bit's systemd input follows %s" % unit_name,
         any(i.get("systemd_filter") == "_SYSTEMD_UNIT=%s" % unit_name for i in sd))

    conf = os.path.join(DEPLOY, "journald", "rsyslog.conf")
    if shutil.which("rsyslogd"):
        r = subprocess.run(["rsyslogd", "-N1", "-f", conf], capture_output=True, text=True)
        case("rsyslogd -N1 accepts deploy/journald/rsyslog.conf", r.returncode == 0, r.stderr)
    else:
        print("ok %d - rsyslogd -N1 accepts deploy/journald/rsyslog.conf # SKIP no rsyslogd" % (len(results) + 1))
        results.append(True)


def containerfile_stages(text):
    """[(base image, [instructions])], line continuations joined."""
    text = re.sub(r"\\\n", " ", text)
    stages = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            stages.append((rest.split()[0], []))
        elif stages:
            stages[-1][1].append((word.upper(), rest.strip()))
    return stages


def packages_of(binary):
    """Debian packages providing the shared libraries a binary links (libc6 aside)."""
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    needed = set()
    for lib in re.findall(r"=>\s+(/\S+)", ldd):
        for candidate in (os.path.realpath(lib), lib):
            r = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if r.returncode == 0:
                needed.add(r.stdout.split(":")[0])
                break
        else:
            needed.add("?" + lib)
    return needed - {"libc6"}  # in every Debian image


def check_containerfile():
    stages = containerfile_stages(open(os.path.join(K8S, "Containerfile")).read())
    if not case("Containerfile has a build stage and a runtime stage", len(stages) >= 2, stages):
        return
    (build_base, build), (final_base, final) = stages[0], stages[-1]
    case("its runtime stage is debian:bookworm-slim", final_base == "debian:bookworm-slim", final_base)
    installed = set()
    for word, rest in final:
        for m in re.finditer(r"apt-get install ([^&;]*)", rest if word == "RUN" else ""):
            installed |= {w for w in shlex.split(m.group(1)) if not w.startswith("-")}
    case("the image has kmod for the init container's modprobe", "kmod" in installed, installed)
    rules = [rest.split() for word, rest in final if word == "COPY" and not rest.startswith("--from")]
    case("the image has the shipped rules where the relay loads them by default",
         ["rules/", "/usr/share/whorl/rules/"] in rules and os.path.isdir(os.path.join(REPO, "rules")),
         rules)

    # Run the build stage's steps here (same Debian release, build packages from
    # tests/deps.sh), with its absolute paths moved under a scratch directory.
    with tempfile.TemporaryDirectory(prefix="whorl-image.") as scratch:
        # The stage's own top directories: COPY destinations and what the runtime stage takes.
        tops = {p.strip("/").split("/")[0] for w, r in build if w == "COPY" for p in r.split()[-1:]}
        tops |= {r.split()[-2].strip("/").split("/")[0] for w, r in final
                 if w == "COPY" and r.startswith("--from")}
        tops.discard("")

        def here(path):
            return re.sub(r"(?<![\w./-])/(%s)(?=/|\b)" % "|".join(map(re.escape, sorted(tops))),
                          scratch + r"/\1", path)
        copied = True
        for word, rest in build:
            if word == "COPY":
                src, dst = rest.split()[-2:]
                if not case("build stage COPY %s exists in the repository" % src,
                            os.path.exists(os.path.join(REPO, src))):
                    copied = False
                    continue
                dst = here(dst)
                if os.path.isdir(os.path.join(REPO, src)):
                    shutil.copytree(os.path.join(REPO, src), dst, dirs_exist_ok=True)
                else:
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    shutil.copy(os.path.join(REPO, src), dst)
        runs = [here(rest) for word, rest in build if word == "RUN" and "apt-get" not in rest]
        if not copied or not os.path.isdir(os.path.join(REPO, "userspace")) \
                or not os.path.isfile(os.path.join(REPO, "userspace", "Makefile")):
            print("ok %d - the build stage builds and installs the tool # SKIP no userspace/Makefile yet"
                  % (len(results) + 1))
            results.append(True)
            return
        r = subprocess.run(["sh", "-ec", " && ".join(runs)], capture_output=True, text=True)
        out = [word_rest[1].split()[-2] for word_rest in final
               if word_rest[0] == "COPY" and word_rest[1].startswith("--from")]
        root = here(out[0]) if out else ""
        tools = [t for t in ("usr/bin/whorl", "usr/sbin/whorl") if os.access(os.path.join(root, t), os.X_OK)]
        if not case("the build stage, run as written, installs the tool (%s)" % (tools or "none"),
                    r.returncode == 0 and len(tools) == 1, (r.stdout + r.stderr)[-3000:]):
            return
        needed = packages_of(os.path.join(root, tools[0]))
        case("the image installs every package the tool's libraries come from (%s)" % ", ".join(sorted(needed)),
             needed <= installed, "missing: %s" % sorted(needed - installed))


def main():
    docs = load_all()
    objs = k8s_objects(docs)
    for rel, o in objs:
        case("%s: %s has a name and the whorl label" % (rel, o["kind"]),
             o.get("metadata", {}).get("name")
             and o["metadata"].get("labels", {}).get("app.kubernetes.io/name") == "whorl")
    names = check_daemonset(objs)
    check_kustomization(objs)
    if names:
        check_k8s_logging(docs, *names)
    check_journald(docs)
    check_containerfile()
    failed = results.count(False)
    print("1..%d" % len(results))
    print("# manifests: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
