// Readiness probes: GET /health 2xx (the AIS readinessProbe), or, for pod specs without a probe, a TCP accept.
import * as http from 'node:http';
import { sleep } from './managedProcess';
import { tcpAccepts } from './ports';

export function healthOk(host: string, port: number, path = '/health', timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    req.once('timeout', () => { req.destroy(); resolve(false); });
    req.once('error', () => resolve(false));
  });
}

/** Polls until the probe succeeds; gives up when `stop()` says so (the caller races init_timeout and exits). */
export async function pollUntil(probe: () => Promise<boolean>, stop: () => boolean, intervalMs = 50): Promise<void> {
  while (!stop()) {
    if (await probe()) return;
    await sleep(intervalMs);
  }
  throw new Error('stopped waiting for readiness');
}

export const tcpProbe = (host: string, port: number) => (): Promise<boolean> => tcpAccepts(host, port, 500);
export const httpProbe = (host: string, port: number, path: string) => (): Promise<boolean> => healthOk(host, port, path);
