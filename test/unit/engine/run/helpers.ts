// Shared by the local-runner tests: md5 of the tutorial object, temp ETL files, orphan checks, caches.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';

/** The tutorial's object: `echo "some text :)" | ais put - transform/shard.in`. */
export const SHARD_IN = Buffer.from('some text :)\n');
export const md5 = (b: Buffer): string => crypto.createHash('md5').update(b).digest('hex');
export const TUTORIAL = path.resolve(__dirname, '../../../fixtures/tutorial');

export { useSharedPythonCache } from './testPython';

export function tempDir(): { dir: string; write(name: string, text: string): string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-run-test-'));
  return {
    dir,
    write: (name, text) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Pids of live processes whose command line mentions `needle` (zombies excluded). */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmd.includes(needle) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}

export const IO_MD5 = [
  'import hashlib',
  'import sys',
  'data = sys.stdin.buffer.read()',
  'md5 = hashlib.md5()',
  'md5.update(data)',
  'sys.stdout.buffer.write(md5.hexdigest().encode())',
  '',
].join('\n');

export const CLASS_MD5 = [
  'import hashlib',
  'from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer',
  '',
  '',
  'class Md5Server(HTTPMultiThreadedServer):',
  '    def transform(self, data, path, etl_args):',
  '        md5 = hashlib.md5()',
  '        md5.update(data)',
  '        return md5.hexdigest().encode()',
  '',
].join('\n');

/** A server reading the object as AIS 4.0+ passes it: PUT with etl_fqn and an empty body. */
export const FQN_SERVER = [
  'import argparse, hashlib, urllib.parse',
  'from http.server import HTTPServer, BaseHTTPRequestHandler',
  'class H(BaseHTTPRequestHandler):',
  '    def do_PUT(self):',
  '        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)',
  '        data = open(urllib.parse.unquote(q["etl_fqn"][0]), "rb").read()',
  '        body = hashlib.md5(data).hexdigest().encode()',
  '        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()',
  '        self.wfile.write(body)',
  'p = argparse.ArgumentParser()',
  'p.add_argument("--listen", default="localhost")',
  'p.add_argument("--port", type=int, default=8000)',
  'a = p.parse_args()',
  'HTTPServer((a.listen, a.port), H).serve_forever()',
  '',
].join('\n');
