// The default of --max-memory: 80% of what this process may still take. In a container that is the
// cgroup's limit less what the cgroup already uses, not the host's free memory, which the kernel's
// OOM killer does not look at.
import { readFileSync } from 'node:fs';
import { freemem } from 'node:os';
import { join } from 'node:path';

/** cgroup v1 writes "no limit" as a number near 2^63 rounded down to a page. */
const V1_UNLIMITED = 2 ** 62;

function readNumber(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= V1_UNLIMITED ? undefined : n;
}

/** The cgroup line of /proc/self/cgroup for a v2 hierarchy (`0::/path`) or v1 memory (`N:memory:/path`). */
function cgroupPaths(root: string): { v2?: string; v1?: string } {
  let text: string;
  try {
    text = readFileSync(join(root, 'proc/self/cgroup'), 'utf8');
  } catch {
    return {};
  }
  const out: { v2?: string; v1?: string } = {};
  for (const line of text.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (controllers === '') out.v2 = path;
    else if (controllers.split(',').includes('memory')) out.v1 = path;
  }
  return out;
}

/**
 * Bytes this process's cgroup may still allocate (its limit less its usage), or undefined when no
 * limit applies. Reads cgroup v2 (`memory.max`, `memory.current`), else v1 (`memory.limit_in_bytes`,
 * `memory.usage_in_bytes`), at the process's own cgroup and then at the mount's root. `root` is `/`
 * except in tests.
 */
export function cgroupAvailable(root = '/'): number | undefined {
  const { v2, v1 } = cgroupPaths(root);
  const candidates: [string, string][] = [];
  for (const dir of [v2 !== undefined ? join(root, 'sys/fs/cgroup', v2) : undefined, join(root, 'sys/fs/cgroup')]) {
    if (dir) candidates.push([join(dir, 'memory.max'), join(dir, 'memory.current')]);
  }
  for (const dir of [v1 !== undefined ? join(root, 'sys/fs/cgroup/memory', v1) : undefined, join(root, 'sys/fs/cgroup/memory')]) {
    if (dir) candidates.push([join(dir, 'memory.limit_in_bytes'), join(dir, 'memory.usage_in_bytes')]);
  }
  for (const [limitFile, usageFile] of candidates) {
    const limit = readNumber(limitFile);
    if (limit === undefined) continue;
    return Math.max(0, limit - (readNumber(usageFile) ?? 0));
  }
  return undefined;
}

/** The default memory limit: what the process uses now plus 80% of what it may still take. */
export function defaultMaxMemory(rss = process.memoryUsage.rss(), free = freemem(), root = '/'): number {
  const cgroup = cgroupAvailable(root);
  const available = cgroup === undefined ? free : Math.min(free, cgroup);
  return Math.round(rss + 0.8 * available);
}
