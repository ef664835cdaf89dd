#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# build_events.py - turn `strace -f -e trace=execve,fork,vfork,clone,clone3` output into exec
# events as the relay builds them (Image, CommandLine, ParentImage, ParentCommandLine,
# CurrentDirectory, User), one JSON object per line, for `whorl rules match`: a real workload's
# execs, for the rules' silence on it (check.sh).
#   build_events.py TRACE CWD USER >events.jsonl
import json
import os
import re
import sys

trace, cwd, user = sys.argv[1:4]
execve = re.compile(r'^(\d+) +execve\("((?:[^"\\]|\\.)*)", \[(.*)\], .*')
child = re.compile(r'^(\d+) +(?:(?:fork|vfork|clone|clone3)\(.*|<\.\.\. (?:fork|vfork|clone|clone3) resumed>.*)\) += (\d+)$')
resumed = re.compile(r'^(\d+) +<\.\.\. execve resumed>.*\) += (-?\d+)')
arg = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unescape(s):
    return s.encode("latin-1").decode("unicode_escape")


parent = {}     # pid -> the pid that made it
image = {}      # pid -> (Image, CommandLine) of its latest exec
pending = {}    # pid -> an execve "<unfinished ...>", until it is resumed
done = []       # (pid, path, args) of each exec that succeeded, in order
for line in open(trace, encoding="latin-1"):
    line = line.rstrip("\n")
    m = child.match(line)
    if m:
        parent[m.group(2)] = m.group(1)
        continue
    m = resumed.match(line)
    if m:
        e = pending.pop(m.group(1), None)
        if e and m.group(2) == "0":
            done.append(e)
        continue
    m = execve.match(line)
    if not m:
        continue
    e = (m.group(1), unescape(m.group(2)), [unescape(a) for a in arg.findall(m.group(3))])
    if line.endswith("<unfinished ...>"):
        pending[e[0]] = e
    elif line.endswith(" = 0"):
        done.append(e)
for pid, path, args in done:
    # the kernel names the file it opened: a symlink's target (cc is x86_64-linux-gnu-gcc-12)
    path = os.path.realpath(path)
    ev = {"Image": path, "CommandLine": " ".join(args), "CurrentDirectory": cwd, "User": user}
    # the parent process's program at the time, as the relay's process tree has it
    p = image.get(parent.get(pid, ""))
    if p:
        ev["ParentImage"], ev["ParentCommandLine"] = p
    image[pid] = (path, ev["CommandLine"])
    print(json.dumps(ev))
