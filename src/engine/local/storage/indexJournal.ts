// Crash journal of a bucket root's name index. The index file (persisted.ts) is exact only after a clean stop; while
// the cluster runs, every change to the root's names is appended here, so after a crash (kill -9, power cut of the
// process) the next start rebuilds the index from the last saved snapshot plus this journal instead of reading a
// million-entry folder. Appends are batched (one write per JOURNAL_FLUSH_MS), so a crash may lose the last few
// milliseconds of entries: the start-up after a crash therefore also re-reads the folder in the background and
// corrects the index (listing.ts reconcile). Generations chain snapshots and journals: snapshot gen g holds the
// names as of some moment after journal g was opened; journals g, g+1, … replayed on it give the current names
// (replay is idempotent: the last operation on a name wins). Older journals are deleted only after a newer snapshot
// is on disk, so the chain is never broken by a crash in between.
// File: <target>/.aisetl-tmp-ixlog-<gen>-<bucket>; records "+name\0" / "-name\0" (no object name contains NUL).
import { closeSync, openSync, promises as fsp, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TEMP_PREFIX } from './names';

const JOURNAL_FLUSH_MS = 20;
const LOG_PREFIX = `${TEMP_PREFIX}ixlog-`;

export interface JournalOp {
  add: boolean;
  key: string;
}
export interface JournalFile {
  gen: number;
  file: string;
}

export function journalFileFor(dir: string, gen: number): string {
  return join(dirname(dir), `${LOG_PREFIX}${gen}-${basename(dir)}`);
}

/** Every journal file of bucket root `dir`, oldest generation first. */
export async function listJournals(dir: string): Promise<JournalFile[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dirname(dir));
  } catch {
    return [];
  }
  const out: JournalFile[] = [];
  const suffix = `-${basename(dir)}`;
  for (const n of names) {
    if (!n.startsWith(LOG_PREFIX) || !n.endsWith(suffix)) continue;
    const gen = n.slice(LOG_PREFIX.length, n.length - suffix.length);
    if (/^\d+$/.test(gen)) out.push({ gen: Number(gen), file: join(dirname(dir), n) });
  }
  return out.sort((a, b) => a.gen - b.gen);
}

/** The operations of one journal file; a record cut short by a crash (no trailing NUL) is ignored. */
export async function readJournal(file: string): Promise<JournalOp[]> {
  const text = (await fsp.readFile(file)).toString('utf8');
  const recs = text.split('\0');
  recs.pop(); // '' after the last NUL, or a torn record
  const ops: JournalOp[] = [];
  for (const r of recs) {
    if (r.length < 2 || (r[0] !== '+' && r[0] !== '-')) continue;
    ops.push({ add: r[0] === '+', key: r.slice(1) });
  }
  return ops;
}

/** Deletes the journals of `dir` older than `keepFrom` (all of them when undefined). */
export async function removeJournals(dir: string, keepFrom?: number): Promise<void> {
  for (const j of await listJournals(dir)) {
    if (keepFrom === undefined || j.gen < keepFrom) await fsp.unlink(j.file).catch(() => undefined);
  }
}

/** An open journal: appends are buffered and written together, at most JOURNAL_FLUSH_MS later. */
export class IndexJournal {
  private fd: number | undefined;
  private buf: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Records written or buffered since the journal was opened (rotation trigger). */
  entries = 0;

  private constructor(
    readonly dir: string,
    readonly gen: number,
    private readonly snapshotFile: string,
  ) {
    this.fd = openSync(journalFileFor(dir, gen), 'w');
  }

  /**
   * Creates (or truncates) journal `gen` of `dir`; `snapshotFile` is removed if a write ever fails, so a journal
   * with a hole is never replayed. Throws when the file cannot be created (e.g. disk full).
   */
  static open(dir: string, gen: number, snapshotFile: string): IndexJournal {
    return new IndexJournal(dir, gen, snapshotFile);
  }

  append(add: boolean, key: string): void {
    if (this.fd === undefined) return;
    this.buf.push((add ? '+' : '-') + key + '\0');
    this.entries++;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), JOURNAL_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes what is buffered. A write error (disk full) closes the journal: the next start reads the folder. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.fd === undefined || this.buf.length === 0) return;
    const data = Buffer.from(this.buf.join(''), 'utf8');
    this.buf = [];
    try {
      for (let off = 0; off < data.length;) off += writeSync(this.fd, data, off);
    } catch {
      // a hole in the journal (disk full): without a snapshot, the next start reads the folder instead
      this.broken = true;
      this.close();
      for (const f of [this.snapshotFile, journalFileFor(this.dir, this.gen)])
        try {
          unlinkSync(f);
        } catch {
          /* gone */
        }
    }
  }

  /** True after a failed write: this journal no longer describes the folder. */
  broken = false;

  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}
