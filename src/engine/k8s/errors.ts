// Turns client-node failures (ApiException with an HTTP code, node-fetch FetchError with a socket code, watch
// errors with statusCode) into one line saying what happened and what to do.

export interface K8sWhere {
  server: string;
  context: string;
  namespace: string;
}

export class K8sError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** One property of an error-like value of unknown shape (client-node throws several kinds). */
function prop(x: unknown, key: string): unknown {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[key] : undefined;
}

export function httpStatusOf(err: unknown): number | undefined {
  // ApiException: code; Watch: statusCode; K8sError: status
  for (const key of ['code', 'statusCode', 'status']) {
    const v = prop(err, key);
    if (typeof v === 'number') return v;
  }
  return undefined;
}

function socketCodeOf(err: unknown): string | undefined {
  const c = prop(err, 'code') ?? prop(err, 'errno') ?? prop(prop(err, 'cause'), 'code');
  return typeof c === 'string' ? c : undefined;
}

/** The API server's own words (a v1 Status body), when it sent any. */
export function serverMessageOf(err: unknown): string | undefined {
  const raw = prop(err, 'body');
  let body: unknown = raw;
  if (typeof raw === 'string') {
    try {
      body = JSON.parse(raw);
    } catch {
      return raw.trim() || undefined;
    }
  }
  const message = prop(body, 'message');
  return typeof message === 'string' ? message : undefined;
}

/** `action` is what we tried, e.g. `list pods`, `read the log of pod x`. */
export function describeK8sError(err: unknown, action: string, where: K8sWhere): string {
  if (err instanceof K8sError) return err.message;
  const status = httpStatusOf(err);
  const said = serverMessageOf(err);
  const ctx = `context "${where.context}"`;
  switch (status) {
    case 401:
      return (
        `Kubernetes API ${where.server} rejected the credentials of ${ctx} (401 Unauthorized; the token may have expired) ` +
        `while trying to ${action}: refresh them (e.g. run any kubectl command or log in again) or choose another context.`
      );
    case 403:
      return (
        `Kubernetes user of ${ctx} may not ${action} in namespace "${where.namespace}" (403 Forbidden${said ? `: ${said}` : ''}): ` +
        'ask the cluster admin for access (RBAC) or choose another namespace or context.'
      );
    case 404:
      return `Cannot ${action}: not found${said ? ` (${said})` : ''}.`;
    case undefined:
      break;
    default:
      return `Kubernetes API ${where.server} failed to ${action} (HTTP ${status}${said ? `: ${said}` : ''}); retry, and check the cluster with kubectl if it persists.`;
  }
  const code = socketCodeOf(err);
  if (
    code &&
    /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|request-timeout)$/.test(code)
  ) {
    return (
      `Cannot reach the Kubernetes API ${where.server} (${code}) to ${action}: check that the cluster is up, ` +
      `that you are on its network/VPN, and that ${ctx} is the right one.`
    );
  }
  if (code && /CERT|SELF_SIGNED|TLS|SSL/i.test(code)) {
    return `TLS to the Kubernetes API ${where.server} failed (${code}): check certificate-authority in the kubeconfig of ${ctx}.`;
  }
  const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return `Failed to ${action} on Kubernetes API ${where.server}: ${msg}.`;
}

export function toK8sError(err: unknown, action: string, where: K8sWhere): K8sError {
  if (err instanceof K8sError) return err;
  return new K8sError(describeK8sError(err, action, where), httpStatusOf(err), undefined);
}
