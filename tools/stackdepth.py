#!/usr/bin/env python3
# stackdepth.py: the deepest stack use of the runtime's entry points, from GCC's call graphs.
#
#   tools/stackdepth.py [--paths] REGEX      e.g. tools/stackdepth.py '^\S+ gol_(chan|sync_)'
#
# Compiles runtime/*.cpp and stdlib/*/*_native.cpp (one at a time, into a temporary directory)
# with -fcallgraph-info=su, then prints, for every function whose signature matches REGEX, the
# bytes of its deepest call path (each frame's static size + 8 for the return address).
# Calls through pointers (systemstack, ensurestack, callbacks) are not followed, functions
# outside these files (the C library) count 0 and recursion counts once: add a margin.
# compiler/safepoint.cpp's runtimeCallNeed table and runtime/stack.h's StackGuard rest on it.
import glob, os, re, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = [a for a in sys.argv[1:] if a != '--paths']
if len(args) != 1:
    sys.exit('usage: tools/stackdepth.py [--paths] REGEX')
paths = '--paths' in sys.argv
out = tempfile.mkdtemp(prefix='stackdepth.')
srcs = sorted(glob.glob(root + '/runtime/*.cpp') + glob.glob(root + '/stdlib/*/*_native.cpp'))
for f in srcs:
    subprocess.run(['c++', '-DGOL_CONTEXT_ASM=1', '-I' + root, '-I' + root + '/runtime', '-O3', '-DNDEBUG', '-fPIC',
                    '-fno-omit-frame-pointer', '-fno-exceptions', '-std=gnu++20', '-fcallgraph-info=su', '-c', f,
                    '-o', os.devnull], cwd=out, check=False, stderr=subprocess.DEVNULL)
nodes, edges, labels = {}, {}, {}
for f in glob.glob(out + '/*.ci'):
    for line in open(f):
        m = re.match(r'node: \{ title: "([^"]+)" label: "([^"]*)"', line)
        if m:
            t, l = m.groups()
            labels.setdefault(t, l.split('\\n')[0])
            b = re.search(r'(\d+) bytes \((\w+)', l)
            if b:
                nodes[t] = int(b.group(1))
            continue
        m = re.match(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"', line)
        if m:
            edges.setdefault(m.group(1), set()).add(m.group(2))
memo = {}


def depth(t, onpath):
    if t in memo:
        return memo[t]
    if t in onpath or t not in nodes:
        return (0, ['?' + labels.get(t, t)[:60]] if t not in nodes else [])
    onpath.add(t)
    best = (0, [])
    for c in edges.get(t, ()):
        d = depth(c, onpath)
        if d[0] > best[0] or not best[1]:
            best = d
    onpath.discard(t)
    r = (nodes[t] + 8 + best[0], ['%s %d' % (labels.get(t, t)[:70], nodes[t])] + best[1])
    memo[t] = r
    return r


rows = [(depth(t, set()), labels[t]) for t in nodes if re.search(args[0], labels.get(t, t))]
for (d, path), name in sorted(rows):
    print(d, name[:90])
    if paths:
        print('    ' + '\n    '.join(path))
