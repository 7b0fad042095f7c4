// `kubectl port-forward` for a pod or a Service: a loopback listener whose every connection becomes one
// client-node PortForward WebSocket to the pod. A Service is resolved once to a Ready pod behind it.
import { createServer, type Socket } from 'node:net';
import { PortForward, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { K8sError } from './errors';
import { call, type K8sSession } from './session';
import type { PortForwardHandle } from './types';

export interface PortForwardTarget {
  pod?: string;
  service?: string;
}

const podReady = (p: V1Pod) =>
  p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** The pod and container port a Service port leads to. */
async function resolveService(s: K8sSession, name: string, port: number): Promise<{ pod: string; port: number }> {
  const svc: V1Service = await call(s, `read service ${name}`, () =>
    s.core.readNamespacedService({ name, namespace: s.where.namespace }),
  );
  const selector = Object.entries(svc.spec?.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (!selector)
    throw new K8sError(
      `Service ${name} has no pod selector, so there is no pod to forward to: port-forward to a pod instead.`,
    );
  const pods =
    (
      await call(s, 'list pods', () =>
        s.core.listNamespacedPod({ namespace: s.where.namespace, labelSelector: selector }),
      )
    ).items ?? [];
  const pod = pods.find(podReady) ?? pods.find((p) => p.status?.phase === 'Running');
  if (!pod?.metadata?.name)
    throw new K8sError(
      `No running pod behind service ${name} (selector ${selector}): check the AIS proxies with kubectl get pods -l ${selector}.`,
    );
  const sp = (svc.spec?.ports ?? []).find((p) => p.port === port) ?? svc.spec?.ports?.[0];
  const target = sp?.targetPort ?? sp?.port ?? port;
  if (typeof target === 'number') return { pod: pod.metadata.name, port: target };
  const asNumber = Number(target);
  if (Number.isInteger(asNumber) && asNumber > 0) return { pod: pod.metadata.name, port: asNumber };
  const named = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === target);
  if (!named)
    throw new K8sError(
      `Service ${name} targets port "${target}", which no container of pod ${pod.metadata.name} declares.`,
    );
  return { pod: pod.metadata.name, port: named.containerPort };
}

export async function startPortForward(
  s: K8sSession,
  target: PortForwardTarget,
  remotePort: number,
  localPort = 0,
): Promise<PortForwardHandle> {
  const dest = target.pod
    ? { pod: target.pod, port: remotePort }
    : target.service
      ? await resolveService(s, target.service, remotePort)
      : (() => {
          throw new K8sError('Port-forward needs a pod or a service name.');
        })();
  const forwarder = new PortForward(s.kc);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    forwarder
      .portForward(s.where.namespace, dest.pod, [dest.port], socket, null, socket)
      .then((ws) => {
        const w = ws as { on?(ev: string, cb: () => void): void; close?(): void };
        w.on?.('close', () => socket.end());
        socket.on('close', () => w.close?.());
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new K8sError(
          `Cannot listen on 127.0.0.1:${localPort} for the port-forward (${err.code ?? err.message}): choose another local port.`,
        ),
      ),
    );
    server.listen(localPort, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return {
    localPort: bound,
    url: `http://127.0.0.1:${bound}`,
    dispose: () =>
      new Promise<void>((resolve) => {
        for (const sock of sockets) sock.destroy();
        server.close(() => resolve());
      }),
  };
}
