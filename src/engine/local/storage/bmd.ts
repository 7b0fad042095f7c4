// The bucket registry (AIS's BMD), persisted as <dataDir>/bmd.json with an atomic rewrite on every change.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './atomic';

export interface BucketProps {
  name: string;
  created: number; /* unix ms */
}
interface BmdFile {
  version: number;
  buckets: Record<string, BucketProps>;
}

export class BucketRegistry {
  private data: BmdFile = { version: 0, buckets: {} };
  private constructor(private readonly file: string) {}

  static async load(dataDir: string): Promise<BucketRegistry> {
    const reg = new BucketRegistry(join(dataDir, 'bmd.json'));
    try {
      const parsed = JSON.parse(await fsp.readFile(reg.file, 'utf8')) as BmdFile;
      if (parsed && typeof parsed === 'object' && parsed.buckets) reg.data = parsed;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`cannot read the bucket registry ${reg.file}: ${(e as Error).message}; fix or delete the file`);
    }
    return reg;
  }

  get version(): number {
    return this.data.version;
  }
  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.data.buckets, name);
  }
  get(name: string): BucketProps | undefined {
    return this.has(name) ? this.data.buckets[name] : undefined;
  }
  names(): string[] {
    return Object.keys(this.data.buckets).sort();
  }

  async add(name: string): Promise<void> {
    this.data.buckets[name] = { name, created: Date.now() };
    await this.save();
  }
  async remove(name: string): Promise<void> {
    delete this.data.buckets[name];
    await this.save();
  }
  private chain: Promise<void> = Promise.resolve();
  /** Serialised so concurrent changes never write an older snapshot last. */
  private save(): Promise<void> {
    this.data.version++;
    const snapshot = Buffer.from(JSON.stringify(this.data, null, 1));
    this.chain = this.chain.catch(() => undefined).then(() => writeAtomic(this.file, snapshot).then(() => undefined));
    return this.chain;
  }
}
