// Start/stop the generated-bytes server (byte-server-main.ts) as a child process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ByteServer {
  url: string;
  close(): Promise<void>;
}

export async function startByteServer(): Promise<ByteServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'byte-server-main.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`byte server exited early (code ${code})`)));
    child.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
