import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { AisClient, AisError } from '../../../../src/engine/ais';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A throw-away CA that signs a server cert for 127.0.0.1 and a client cert. */
function makePki(dir: string): void {
  const ossl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ossl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=test-ca',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    ossl(
      'x509',
      '-req',
      '-in',
      `${who}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${who}.pem`,
      '-days',
      '2',
      ...(who === 'server' ? ['-extfile', 'san.ext'] : []),
    );
  }
}

describe('TLS', { skip: hasOpenssl() ? false : 'openssl not installed' }, () => {
  let dir: string;
  let url: string;
  let srv: https.Server;
  const seenClientCerts: string[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ais-tls-'));
    makePki(dir);
    srv = https.createServer(
      {
        key: readFileSync(join(dir, 'server.key')),
        cert: readFileSync(join(dir, 'server.pem')),
        ca: readFileSync(join(dir, 'ca.pem')),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        seenClientCerts.push(String(peer?.subject?.CN ?? ''));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('[]');
      },
    );
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    url = `https://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => {
      srv.close(() => r());
      srv.closeAllConnections();
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unknown CA fails with a TLS error naming the endpoint and what to set', async (t) => {
    const c = new AisClient({ endpoint: url });
    t.after(() => c.close());
    await assert.rejects(c.listEtls(), (e: unknown) => {
      assert.ok(e instanceof AisError);
      assert.match(e.message, new RegExp(`TLS handshake with ${url.replace(/\./g, '\\.')} failed`));
      assert.match(e.hint ?? '', /CA file/);
      return true;
    });
  });

  it('works with the CA file, with a client certificate, and with skip-verify', async (t) => {
    const withCa = new AisClient({ endpoint: url, tls: { caFile: join(dir, 'ca.pem') } });
    const mtls = new AisClient({
      endpoint: url,
      tls: { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'client.pem'), keyFile: join(dir, 'client.key') },
    });
    const skip = new AisClient({ endpoint: url, tls: { skipVerify: true } });
    t.after(() => Promise.all([withCa.close(), mtls.close(), skip.close()]));
    assert.deepEqual(await withCa.listEtls(), []);
    assert.deepEqual(await mtls.listEtls(), []);
    assert.equal(seenClientCerts.at(-1), 'client', 'the client certificate was presented');
    assert.deepEqual(await skip.listEtls(), []);
  });
});
