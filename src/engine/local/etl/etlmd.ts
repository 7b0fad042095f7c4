// The ETL metadata (AIS's etlMD): name → stage + the init message as received, persisted in <dataDir>/etlmd.json.
// After a restart no worker is running, so every ETL that was Initializing or Running comes back as Aborted.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../storage/atomic';
import type { Leniency } from './leniency';

export type Stage = 'Initializing' | 'Running' | 'Aborted';
export interface EtlMdEntry {
  name: string;
  stage: Stage;
  initMsg: Record<string, unknown>;
  xid: string;
  reason?: string;
  /** What this ETL relies on that the emulated AIS release would refuse (shown as "works locally only"). */
  leniencies?: Leniency[];
}

export class EtlMd {
  private chain: Promise<void> = Promise.resolve();
  private constructor(
    private readonly file: string,
    readonly entries: Map<string, EtlMdEntry>,
  ) {}

  static async load(dataDir: string): Promise<EtlMd> {
    const file = join(dataDir, 'etlmd.json');
    const entries = new Map<string, EtlMdEntry>();
    try {
      const arr = JSON.parse(await fsp.readFile(file, 'utf8')) as EtlMdEntry[];
      for (const e of Array.isArray(arr) ? arr : []) {
        if (!e || typeof e.name !== 'string') continue;
        entries.set(e.name, {
          ...e,
          stage: 'Aborted',
          reason: e.stage === 'Aborted' ? e.reason : 'the local cluster was restarted',
        });
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`cannot read ${file}: ${(e as Error).message}; fix or delete the file`);
    }
    const md = new EtlMd(file, entries);
    await md.save();
    return md;
  }

  /** Serialised so concurrent changes never write an older snapshot last. */
  save(): Promise<void> {
    const snapshot = JSON.stringify([...this.entries.values()], null, 1);
    this.chain = this.chain
      .catch(() => undefined)
      .then(() => writeAtomic(this.file, Buffer.from(snapshot)).then(() => undefined));
    return this.chain;
  }
}
