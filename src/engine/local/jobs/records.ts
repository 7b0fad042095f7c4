// Jobs on disk: <dataDir>/jobs/<id>.json, written when a job starts, every PERSIST_MS while it runs and when it ends.
// After a crash, a job recorded as running is shown as aborted — "the cluster stopped while it ran", with the counts
// of its last record — never as done, and never forgotten: its status and progress stay queryable by ID.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../storage/atomic';
import type { JobRecord } from './job';

const PERSIST_MS = 1000;

export const CRASHED_JOB_ERR =
  'the local cluster stopped (was killed or crashed) while this job was running; the counts are ' +
  'those of its last saved progress and objects after them may be missing from the destination: run the job again';

export class JobRecords {
  private readonly dir: string;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private chain: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'jobs');
  }

  /** Every recorded job; those still marked running (the cluster was killed) are turned into aborted jobs. */
  async load(): Promise<JobRecord[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch {
      return [];
    }
    const out: JobRecord[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      let r: JobRecord;
      try {
        r = JSON.parse(await fsp.readFile(join(this.dir, n), 'utf8')) as JobRecord;
      } catch {
        continue;
      }
      if (!r || typeof r.id !== 'string' || !r.spec || !r.perTarget) continue;
      if (!r.endTime) {
        r.endTime = new Date().toISOString();
        r.aborted = true;
        r.err = CRASHED_JOB_ERR;
        this.save(r);
      }
      out.push(r);
    }
    await this.chain;
    return out.sort((a, b) => a.startTime.localeCompare(b.startTime));
  }

  /** Saves `r` (serialised: the last save wins). */
  save(r: JobRecord): Promise<void> {
    const body = Buffer.from(JSON.stringify(r));
    this.chain = this.chain.then(() =>
      writeAtomic(join(this.dir, `${r.id}.json`), body, undefined, false).then(
        () => undefined,
        () => undefined,
      ),
    );
    return this.chain;
  }

  /** Saves `snapshot()` now and every PERSIST_MS until stopTracking. */
  track(id: string, snapshot: () => JobRecord): void {
    void this.save(snapshot());
    const t = setInterval(() => void this.save(snapshot()), PERSIST_MS);
    t.unref();
    this.timers.set(id, t);
  }

  async stopTracking(id: string, final: JobRecord): Promise<void> {
    clearInterval(this.timers.get(id));
    this.timers.delete(id);
    await this.save(final);
  }

  remove(id: string): void {
    this.chain = this.chain.then(() => fsp.unlink(join(this.dir, `${id}.json`)).catch(() => undefined));
  }
}
