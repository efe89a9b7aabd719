#!/usr/bin/env python3
# bench-set-timeout.py BEFORE AFTER [N]: `config set-timeout` end to end,
# the two binaries interleaved in one run, each in its own throwaway HOME;
# every run writes (the value alternates), so each pays lock, read, backup,
# atomic write. Prints each binary's median of N (default 20).
import os, resource, statistics, subprocess, sys, tempfile, time
before, after = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
times = {before: [], after: []}
cpu = {before: [], after: []}  # user+system time of the process: less swayed by a busy machine
homes = {}
for b in (before, after):
    h = tempfile.mkdtemp(prefix="bench-home-")
    os.makedirs(h + "/.claude")
    open(h + "/.claude/settings.json", "w").write('{\n  "model": "opus",\n  "env": {\n    "API_TIMEOUT_MS": "600000"\n  }\n}\n')
    homes[b] = h
def run(b, i):
    h = homes[b]
    env = {"PATH": os.environ["PATH"], "HOME": h, "XDG_DATA_HOME": h + "/.local/share", "XDG_STATE_HOME": h + "/.local/state", "XDG_CONFIG_HOME": h + "/.config", "LANG": "C.UTF-8"}
    v = "900000" if i % 2 else "600000"
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([b, "config", "set-timeout", "--api-timeout", v], env=env, capture_output=True)
    d = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu[b].append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
    if p.returncode != 0:
        sys.exit(f"{b}: exit {p.returncode}: {p.stderr.decode()}")
    return d
for b in (before, after):  # warm the page cache
    run(b, 0); run(b, 1)
for i in range(n):
    for b in ((before, after) if i % 2 == 0 else (after, before)):
        times[b].append(run(b, i))
mb, ma = statistics.median(times[before]) * 1000, statistics.median(times[after]) * 1000
print(f"before {before}: median {mb:.1f} ms (min {min(times[before])*1000:.1f}, max {max(times[before])*1000:.1f})")
print(f"after  {after}: median {ma:.1f} ms (min {min(times[after])*1000:.1f}, max {max(times[after])*1000:.1f})")
print(f"after/before: {ma/mb:.2f}x over {n} runs each (wall time)")
cb, ca = statistics.median(cpu[before][2:]) * 1000, statistics.median(cpu[after][2:]) * 1000
print(f"CPU time (user+system) medians: before {cb:.1f} ms, after {ca:.1f} ms: {ca/cb:.2f}x")
