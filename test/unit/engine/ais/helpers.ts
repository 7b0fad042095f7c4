// Shared by the AIS client tests: a fake AIS with a client for it, and small stream helpers.
import type { Readable } from 'node:stream';
import { after, before } from 'node:test';
import { AisClient, type AisClientOptions } from '../../../../src/engine/ais';
import { FakeAis, type FakeAisOptions } from './fake-ais';

/** A fake AIS started with `o` and a client for it (with `client`'s options), both closed after test `t`. */
export async function fakeAisWithClient(
  t: { after(fn: () => unknown): void },
  o: FakeAisOptions,
  client: Partial<AisClientOptions> = {},
): Promise<{ ais: FakeAis; c: AisClient }> {
  const ais = await FakeAis.start(o);
  const c = new AisClient({ endpoint: ais.url, ...client });
  t.after(async () => {
    await c.close();
    await ais.close();
  });
  return { ais, c };
}

/** Call inside a describe: a fake AIS and a client for it, handed to `got` before its first test, closed after. */
export function fakeAisForSuite(
  o: FakeAisOptions,
  got: (x: { ais: FakeAis; client: AisClient }) => void,
  client: Partial<AisClientOptions> = {},
): void {
  let x: { ais: FakeAis; client: AisClient } | undefined;
  before(async () => {
    const ais = await FakeAis.start(o);
    x = { ais, client: new AisClient({ endpoint: ais.url, ...client }) };
    got(x);
  });
  after(async () => {
    await x?.client.close();
    await x?.ais.close();
  });
}

export async function streamText(s: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function drain(s: NodeJS.ReadableStream): Promise<number> {
  let n = 0;
  for await (const c of s) n += (c as Buffer).length;
  return n;
}
