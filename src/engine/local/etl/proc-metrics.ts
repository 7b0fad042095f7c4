// CPU and memory of a worker process from /proc (Linux). Elsewhere the values are reported as 0.
import { readFileSync } from 'node:fs';

const CLK_TCK = 100; // USER_HZ on every mainstream Linux
const PAGE = 4096;

/** cpu = average cores used over the process lifetime; mem = RSS bytes. */
export function procUsage(pid: number | undefined): { cpu: number; mem: number } {
  if (!pid || process.platform !== 'linux') return { cpu: 0, mem: 0 };
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSec = (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime + stime
    const startSec = Number(f[19]) / CLK_TCK; // starttime since boot
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const mem = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
    const life = Math.max(uptime - startSec, 0.01);
    return { cpu: Math.round((cpuSec / life) * 1e4) / 1e4, mem };
  } catch {
    return { cpu: 0, mem: 0 };
  }
}
