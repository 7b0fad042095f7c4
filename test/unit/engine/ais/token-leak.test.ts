// A failed authenticated call never carries the token: not in the error's message, hint, URL, stack or JSON, not in
// what the VS Code layer formats for the user and the Output channel, even when the server echoes request headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AisClient } from '../../../../src/engine/ais';
import { formatError } from '../../../../src/services/errors';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-token-value.Zm9vYmFy';

test('a 401 and a connection failure of an authenticated client leak no token', async (t) => {
  const server = createServer((req, res) => {
    // a hostile or buggy server that echoes the request back in its error
    const body = JSON.stringify({ message: `unauthorized: ${JSON.stringify(req.headers)}`, status: 401 });
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const seen: string[] = [];
  for (const endpoint of [`http://127.0.0.1:${port}`, 'http://127.0.0.1:1']) {
    const client = new AisClient({ endpoint, token: TOKEN, timeoutMs: 3000 });
    try {
      await client.listBuckets();
      assert.fail('must fail');
    } catch (e) {
      const err = e as Error & Record<string, unknown>;
      seen.push(
        String(err),
        err.stack ?? '',
        formatError(err),
        JSON.stringify(err),
        JSON.stringify(Object.entries(err)),
      );
    } finally {
      await client.close();
    }
  }
  for (const s of seen) {
    assert.ok(!s.includes(TOKEN) && !s.includes('secret-token-value'), `token leaked: ${s.slice(0, 300)}`);
  }
  assert.ok(
    seen.some((s) => /401|unauthori/i.test(s)),
    'the error still says what happened',
  );
});
