// Readiness probes: GET /health 2xx (the AIS readinessProbe), or, for pod specs without a probe, a TCP accept.
import * as http from 'node:http';
import { sleep } from './managedProcess';
import { tcpAccepts } from './ports';

/** The HTTP status of GET <path>, or 0 when nothing answered. */
export function healthStatus(host: string, port: number, path = '/health', timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => {
      req.destroy();
      resolve(0);
    });
    req.once('error', () => resolve(0));
  });
}

/** Polls until the probe succeeds; gives up when `stop()` says so (the caller races init_timeout and exits). */
export async function pollUntil(probe: () => Promise<boolean>, stop: () => boolean, intervalMs = 50): Promise<void> {
  // Back off to at most 500 ms: quick when the server starts fast, quiet in its log when it does not.
  for (let wait = intervalMs; !stop(); wait = Math.min(wait * 1.5, 500)) {
    if (await probe()) return;
    await sleep(wait);
  }
  throw new Error('stopped waiting for readiness');
}

export const tcpProbe = (host: string, port: number) => (): Promise<boolean> => tcpAccepts(host, port, 500);
/** GET <path> must answer 2xx; `onOther` hears (once) about a server that answers something else, so the user
 *  learns why the worker never becomes ready instead of only seeing the timeout. */
export const httpProbe = (host: string, port: number, path: string, onOther?: (status: number) => void) => {
  let told = false;
  return async (): Promise<boolean> => {
    const status = await healthStatus(host, port, path);
    if (status >= 200 && status < 300) return true;
    if (status && !told && onOther) {
      told = true;
      onOther(status);
    }
    return false;
  };
};

/** The text for an init_timeout error, from the last probe status (0 = nothing listening). */
export function probeSummary(path: string, port: number, status: number): string {
  return status === 0
    ? `nothing accepted connections on local port ${port}`
    : `GET ${path} answered ${status}; the worker is ready only when it answers 2xx (the AIS readinessProbe)`;
}
