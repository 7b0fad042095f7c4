// Object names with `%`, spaces, `+`, `?`, `#` and non-ASCII through hpush:// and hpull:// on the 5.0 local cluster,
// to a server that reads etl_fqn as the SDK's ETL servers do: the framework decodes the query, then
// sanitize_fqn() unquotes once more, because aisnode sends `url.PathEscape(lom.FQN)` as a query value.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWorkerFactory } from '../../../../../src/engine/local/cluster/default-worker-factory';
import { call, md5, startFixture, stopFixture, type Fixture } from '../helpers';

const NAMES = ['pct%20name.txt', 'sp ace.txt', 'plus+x.txt', 'q?x.txt', 'hash#x.txt', 'dir/ü €.txt', 'pct%2Fx'];

// What the SDK's HTTPMultiThreadedServer does with etl_fqn (parse_qs, then sanitize_fqn's unquote).
const SDK_LIKE_SERVER = String.raw`
import hashlib, http.server, os, sys
from urllib.parse import parse_qs, unquote, urlparse
port = int(os.environ.get("AISETL_PORT_MAP", "8000:8000").split(":")[1])
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        q = parse_qs(urlparse(self.path).query)
        if "etl_fqn" not in q:
            self.send_response(400); self.end_headers(); self.wfile.write(b"no etl_fqn"); return
        fqn = os.path.normpath(os.path.join("/", unquote(q["etl_fqn"][0].strip()).lstrip("/")))
        try:
            with open(fqn, "rb") as f:
                out = hashlib.md5(f.read()).hexdigest().encode()
        except OSError as e:
            self.send_response(404); self.end_headers(); self.wfile.write(f"file not found at {fqn!r}".encode()); return
        self.send_response(200); self.send_header("Content-Length", str(len(out))); self.end_headers()
        self.wfile.write(out)
    def do_GET(self):
        if self.path == "/health":
            self.send_response(200); self.end_headers(); self.wfile.write(b"Running"); return
        self.answer()
    def do_PUT(self):
        n = int(self.headers.get("Content-Length", "0"))
        if n: self.rfile.read(n)
        self.answer()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
`;

const json = (r: { body: Buffer }) => JSON.parse(r.body.toString());
const objUrl = (ep: string, b: string, o: string) =>
  `${ep}/v1/objects/${b}/${o.split('/').map(encodeURIComponent).join('/')}`;

async function waitJob(f: Fixture, id: string): Promise<{ aborted: boolean }> {
  for (let i = 0; i < 800; i++) {
    const s = json(await call('GET', f.ep + '/v1/cluster?what=status', { json: { id, kind: 'etl-bck' } }));
    if (s.end_time > 0) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('5.0 local cluster: etl_fqn is url.PathEscape(fqn) inside the query, as aisnode sends it', () => {
  let f: Fixture;
  let script: string;
  before(async () => {
    f = await startFixture({ factory: defaultWorkerFactory, aisVersion: '5.0' });
    script = join(f.dir, 'sdk_like.py');
    writeFileSync(script, SDK_LIKE_SERVER);
    await call('POST', f.ep + '/v1/buckets/src', { json: { action: 'create-bck' } });
    for (const n of NAMES) {
      const r = await call('PUT', objUrl(f.ep, 'src', n), { body: `content of ${n}` });
      assert.equal(r.status, 200, `${n}: ${r.body.toString()}`);
    }
  });
  after(async () => {
    if (f) await stopFixture(f);
  });

  test('a plain GET of a non-ASCII name answers 200 with Ais-Name in raw UTF-8 bytes, as Go writes it', async () => {
    const g = await call('GET', objUrl(f.ep, 'src', 'dir/ü €.txt'));
    assert.equal(g.status, 200, g.body.toString());
    assert.equal(Buffer.from(String(g.headers['ais-name']), 'latin1').toString('utf8'), 'dir/ü €.txt');
  });

  for (const comm of ['hpush://', 'hpull://']) {
    const name = `sdk-${comm.slice(0, 5)}`;
    test(`${comm}: inline and etl-bck read the object an SDK-like server unquotes`, { timeout: 60_000 }, async () => {
      const init = await call('PUT', f.ep + '/v1/etl', {
        json: {
          name,
          communication: comm,
          init_timeout: '30s',
          obj_timeout: '10s',
          runtime: { image: 'aistorage/runtime_python:3.11', command: ['python3', script] },
        },
      });
      assert.equal(init.status, 200, init.body.toString());
      for (const n of NAMES) {
        const g = await call('GET', `${objUrl(f.ep, 'src', n)}?etl_name=${name}`);
        assert.equal(`${g.status} ${g.body.toString()}`, `200 ${md5(`content of ${n}`)}`, `inline ${n}`);
      }
      const dst = `dst-${comm.slice(0, 5)}`;
      const r = await call(
        'POST',
        `${f.ep}/v1/buckets/src?provider=ais&bck_to=${encodeURIComponent(`ais/@#/${dst}/`)}`,
        {
          json: { action: 'etl-bck', value: { id: name } },
        },
      );
      assert.equal(r.status, 200, r.body.toString());
      assert.equal((await waitJob(f, r.body.toString())).aborted, false);
      for (const n of NAMES) {
        const g = await call('GET', objUrl(f.ep, dst, n));
        assert.equal(`${g.status} ${g.body.toString()}`, `200 ${md5(`content of ${n}`)}`, `etl-bck ${n}`);
      }
    });
  }
});
