// The load runner's fd census tells a leaked file or connection from a kind that did not grow. Only the kinds
// these tests make are compared: the test runner and tsx may open fds of their own meanwhile.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fdCensus, fdGrowth, listenPorts } from '../../../bench/lib/fdCensus';

test('an opened file shows as that file gained, and is gone once closed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fdcensus-'));
  const path = join(dir, 'held');
  writeFileSync(path, 'x');
  const ours = (growth: string[]) => growth.filter((g) => g.startsWith(`file ${dir}`));
  const before = fdCensus(process.pid);
  const fd = openSync(path, 'r');
  try {
    assert.deepEqual(ours(fdGrowth(before, fdCensus(process.pid))), [`file ${path} +1`]);
  } finally {
    closeSync(fd);
  }
  assert.deepEqual(ours(fdGrowth(before, fdCensus(process.pid))), []);
  rmSync(dir, { recursive: true, force: true });
});

test('a loopback connection is counted as a listener, one accepted and one opened, by port', async () => {
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const ours = (growth: string[]) => growth.filter((g) => g.endsWith(` :${port} +1`)).sort();
  const client = net.connect(port, '127.0.0.1');
  try {
    assert.ok(listenPorts(process.pid).has(port));
    const before = fdCensus(process.pid);
    assert.deepEqual(ours(fdGrowth(new Map(), before)), [`tcp listen :${port} +1`]);
    await new Promise((r) => client.once('connect', r));
    while (!accepted.length) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(ours(fdGrowth(before, fdCensus(process.pid))), [`tcp in :${port} +1`, `tcp out :${port} +1`]);
  } finally {
    client.destroy();
    for (const s of accepted) s.destroy();
    await new Promise((r) => server.close(r));
  }
});
