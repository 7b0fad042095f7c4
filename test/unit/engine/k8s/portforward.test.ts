import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { K8sEtlPods } from '../../../../src/engine/k8s/index';
import { FakeApiserver } from './fake-apiserver';
import { fakeApiserverForSuite } from './fakeApiserverSuite';

/** Sends `text` through the forwarded port and returns what came back. */
function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(text));
    let got = '';
    sock.on('data', (d) => {
      got += d.toString();
      if (got.length >= text.length) {
        sock.end();
        resolve(got);
      }
    });
    sock.on('error', reject);
  });
}

describe('portForward', () => {
  let fake: FakeApiserver;
  let k8s: K8sEtlPods;
  fakeApiserverForSuite('ais', (c) => ({ fake, k8s } = c));
  before(() => {
    const proxyPod = (name: string, ready: boolean) => ({
      metadata: {
        name,
        namespace: 'ais',
        labels: { 'app.kubernetes.io/name': 'aisx', 'app.kubernetes.io/component': 'proxy' },
      },
      spec: {
        containers: [
          { name: 'ais-node', image: 'aistorage/aisnode', ports: [{ name: 'public', containerPort: 51081 }] },
        ],
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    });
    fake.putPod(proxyPod('aisx-proxy-0', false));
    fake.putPod(proxyPod('aisx-proxy-1', true));
    fake.services = [
      {
        metadata: { name: 'aisx-proxy', namespace: 'ais' },
        spec: {
          clusterIP: 'None',
          selector: { 'app.kubernetes.io/name': 'aisx', 'app.kubernetes.io/component': 'proxy' },
          ports: [{ name: 'pub', port: 51080, targetPort: 'public' }],
        },
      },
    ];
  });

  it('forwards a local port to a Ready pod behind a service, resolving a named targetPort', async () => {
    const pf = await k8s.portForward({ service: 'aisx-proxy' }, 51080);
    try {
      assert.equal(pf.url, `http://127.0.0.1:${pf.localPort}`);
      assert.equal(await roundTrip(pf.localPort, 'hello ais'), 'HELLO AIS');
      assert.deepEqual(fake.portForwards.at(-1), { pod: 'aisx-proxy-1', port: 51081 });
    } finally {
      await pf.dispose();
    }
  });

  it('forwards directly to a pod, and explains a service without pods', async () => {
    const pf = await k8s.portForward({ pod: 'aisx-proxy-0' }, 8000);
    try {
      assert.equal(await roundTrip(pf.localPort, 'x'), 'X');
      assert.deepEqual(fake.portForwards.at(-1), { pod: 'aisx-proxy-0', port: 8000 });
    } finally {
      await pf.dispose();
    }
    fake.services.push({
      metadata: { name: 'empty', namespace: 'ais' },
      spec: { selector: { app: 'nothing' }, ports: [{ port: 1 }] },
    });
    await assert.rejects(k8s.portForward({ service: 'empty' }, 1), /No running pod behind service empty/);
  });
});
