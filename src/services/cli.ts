// Runs the bundled `aisetl` CLI for one-shot jobs (local image builds), streaming its output to the log.
import { spawn } from 'node:child_process';
import { CancelledError, UiError } from './errors';

export function runCli(
  cliPath: string,
  args: string[],
  o: { log(line: string): void; signal?: AbortSignal; cwd?: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: o.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const tail: string[] = [];
    const onData = (d: Buffer) => {
      for (const line of d.toString('utf8').split('\n'))
        if (line.trim()) {
          o.log(line);
          tail.push(line);
          if (tail.length > 10) tail.shift();
        }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const onAbort = () => child.kill('SIGTERM');
    o.signal?.addEventListener('abort', onAbort);
    child.once('error', (err) =>
      reject(
        new UiError(`Can't run the aisetl CLI (${cliPath}): ${err.message}`, {
          hint: 'build the extension first (npm run build)',
          cause: err,
        }),
      ),
    );
    child.once('exit', (code, sig) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (o.signal?.aborted) reject(new CancelledError('The build was cancelled'));
      else if (code === 0) resolve();
      else
        reject(
          new UiError(
            `aisetl ${args[0]} failed (${sig ?? `exit code ${code}`}): ${tail.slice(-3).join(' | ') || 'no output'}`,
            { hint: 'see the "AIStore ETL" log' },
          ),
        );
    });
  });
}
