// After a failed authenticated call, the token appears in nothing the user or a bug report can see: the error toast,
// every line of the AIStore log channel (message and stack), whatever the server echoed back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { window } from '../_fakes/vscode';
import { commandContext, fakeClient } from '../_fakes/context';
import { AisClient } from '../../../src/engine/ais';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.channel-secret.Zm9vYmFy';

test('a failed authenticated call reported by a command leaks the token into no channel', async (t) => {
  const server = createServer((req, res) => {
    res.writeHead(403, { 'Content-Type': 'text/plain', 'Hdr-Error': `denied for ${req.headers.authorization}` });
    res.end(`forbidden: ${JSON.stringify(req.headers)}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const client = new AisClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: TOKEN,
  });
  t.after(() => client.close());
  const { ctx, log } = commandContext(fakeClient(), []);
  const failure = await client.listEtls().then(
    () => assert.fail('must fail'),
    (e: unknown) => e,
  );
  await ctx.errors.report({ id: 'aistore.refresh', title: 'Refresh' }, failure);
  const everything = [...log.lines, ...window.shown.map((m) => `${m.message} ${m.buttons.join(' ')}`)];
  assert.ok(
    log.lines.some((l) => /403|forbidden/i.test(l)),
    `the log says what happened: ${log.lines.join('\n')}`,
  );
  for (const line of everything) assert.ok(!line.includes('channel-secret'), `token leaked: ${line.slice(0, 300)}`);
});
