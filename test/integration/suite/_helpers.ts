// Shared by the integration suites: the extension's API, the local cluster, and the tutorial's files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AistoreApi } from '../../../src/extension';

export const EXTENSION_ID = 'aistore-etl.aistore-etl';
export const MD5_OF_SHARD = '393c6706efb128fbc442d3f7d084a426';
export const SHARD_TEXT = 'some text :)\n'; // `echo "some text :)" | ais put - transform/shard.in`

export async function api(): Promise<AistoreApi> {
  const ext = vscode.extensions.getExtension<AistoreApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** Starts (or reuses) the local cluster through the command, like a user would. */
export async function localCluster(): Promise<{ api: AistoreApi; endpoint: string }> {
  const a = await api();
  const r = await vscode.commands.executeCommand<{ endpoint: string } | undefined>('aistore.startLocalCluster');
  if (!r) throw new Error(`aistore.startLocalCluster failed: ${lastError(a)?.message ?? 'no result'}`);
  return { api: a, endpoint: r.endpoint };
}

/** Runs a command with plain arguments; a failure surfaces the error message the user would have seen. */
export async function run<T>(command: string, ...args: unknown[]): Promise<T> {
  const a = await api();
  a.services.lastError = undefined;
  const r = await vscode.commands.executeCommand<T | undefined>(command, ...args);
  if (r === undefined) throw new Error(`${command} returned nothing: ${lastError(a)?.message ?? 'no error recorded'}`);
  return r;
}

/** Read through a function so TypeScript doesn't keep the narrowing from `lastError = undefined`. */
export function lastError(a: AistoreApi): { command: string; message: string } | undefined { return a.services.lastError; }

export async function textOf(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/** The tutorial's three ETLs, written as a user would have them in a workspace. */
export function tutorialFiles(): { dir: string; code: string; io: string; spec: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-tutorial-'));
  const w = (rel: string, text: string) => { const p = path.join(dir, rel); fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, text); return p; };
  const code = w('code.py', 'import hashlib\n\ndef transform(input_bytes):\n    md5 = hashlib.md5()\n    md5.update(input_bytes)\n    return md5.hexdigest().encode()\n');
  const io = w('io/code.py', 'import hashlib\nimport sys\n\nmd5 = hashlib.md5()\nfor chunk in sys.stdin.buffer.read():\n    md5.update(chunk)\nsys.stdout.buffer.write(md5.hexdigest().encode())\n');
  w('server/server.py', [
    '#!/usr/bin/env python', '', 'import argparse', 'import hashlib', 'from http.server import HTTPServer, BaseHTTPRequestHandler', '', '',
    'class S(BaseHTTPRequestHandler):', '    def _set_headers(self):', '        self.send_response(200)', '        self.send_header("Content-type", "text/plain")', '        self.end_headers()', '',
    '    def do_POST(self):', '        content_length = int(self.headers["Content-Length"])', '        post_data = self.rfile.read(content_length)', '        md5 = hashlib.md5()', '        md5.update(post_data)', '',
    '        self._set_headers()', '        self.wfile.write(md5.hexdigest().encode())', '', '',
    'def run(server_class=HTTPServer, handler_class=S, addr="localhost", port=8000):', '    server_address = (addr, port)', '    httpd = server_class(server_address, handler_class)', '',
    '    print(f"Starting httpd server on {addr}:{port}")', '    httpd.serve_forever()', '', '',
    'if __name__ == "__main__":', '    parser = argparse.ArgumentParser(description="Run a simple HTTP server")',
    '    parser.add_argument("-l", "--listen", default="localhost", help="Specify the IP address on which the server listens")',
    '    parser.add_argument("-p", "--port", type=int, default=8000, help="Specify the port on which the server listens")',
    '    args = parser.parse_args()', '    run(addr=args.listen, port=args.port)', ''].join('\n'));
  w('server/Dockerfile', 'FROM python:3.8.5-alpine3.11\n\nRUN mkdir /code\nWORKDIR /code\nCOPY server.py server.py\n\nEXPOSE 80\n\nENTRYPOINT [ "/code/server.py", "--listen", "0.0.0.0", "--port", "80" ]\n');
  const spec = w('server/spec.yaml', [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: transformer-md5', 'spec:', '  containers:', '    - name: server', '      image: docker.io/aistore/md5_server:v1',
    '      ports:', '        - name: default', '          containerPort: 80', "      command: ['/code/server.py', '--listen', '0.0.0.0', '--port', '80']", ''].join('\n'));
  return { dir, code, io, spec, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
