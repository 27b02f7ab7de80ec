import { readdirSync, readFileSync } from 'node:fs';

/** How often a command's processes are measured against its memory bound. */
export const MEMORY_CHECK_MS = 250;

/** Size of a memory page, for /proc's counts: 4 KiB on the platforms this runs on. */
const PAGE_BYTES = 4096;

/** Sends `signal` to every process of the group led by `pgid`; quiet when the group has already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * The resident memory of every process in the group `pgid`, in bytes, read from /proc (Linux);
 * undefined where there is no /proc to read.
 */
export function groupResidentBytes(pgid: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let pages = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended while we looked
    }
    // The command name (field 2) may hold spaces and brackets: the fields after it follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) pages += Number(fields[21]) || 0;
  }
  return pages * PAGE_BYTES;
}

/**
 * Watches a process group's resident memory every {@link MEMORY_CHECK_MS}; calls `exceeded` once
 * (with the bytes measured) when it goes past `limitBytes`. Returns the function that stops watching.
 */
export function watchGroupMemory(pgid: number, limitBytes: number, exceeded: (bytes: number) => void): () => void {
  const timer = setInterval(() => {
    const bytes = groupResidentBytes(pgid);
    if (bytes === undefined) return clearInterval(timer);
    if (bytes > limitBytes) {
      clearInterval(timer);
      exceeded(bytes);
    }
  }, MEMORY_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
