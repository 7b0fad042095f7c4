import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { K8sEtlPods, proxyServiceCluster } from '../../../../src/engine/k8s/index';
import { FakeApiserver, type FakeCustom, type FakeNode, type FakeService } from './fake-apiserver';
import { fakeApiserverForSuite } from './fakeApiserverSuite';

/** Services as the current ais-operator creates them (ais-k8s operator/internal/resources/aistore/proxy/services.go).
 */
function operatorService(
  ais: string,
  ns: string,
  kind: 'headless' | 'lb',
  o: { ingress?: { ip?: string; hostname?: string }; nodePort?: number } = {},
): FakeService {
  const lb = kind === 'lb';
  return {
    metadata: {
      name: `${ais}-proxy${lb ? '-lb' : ''}`,
      namespace: ns,
      labels: { app: ais, 'app.kubernetes.io/name': ais, 'app.kubernetes.io/component': lb ? 'proxy-lb' : 'proxy-svc' },
    },
    spec: {
      ...(lb ? { type: 'LoadBalancer' } : { type: 'ClusterIP', clusterIP: 'None' }),
      selector: { 'app.kubernetes.io/name': ais, 'app.kubernetes.io/component': 'proxy' },
      ports: [
        {
          name: 'pub',
          port: 51080,
          targetPort: 51080,
          protocol: 'TCP',
          ...(o.nodePort ? { nodePort: o.nodePort } : {}),
        },
        ...(lb ? [] : [{ name: 'control', port: 51082 }]),
      ],
    },
    status: { loadBalancer: o.ingress ? { ingress: [o.ingress] } : {} },
  };
}

function aistore(name: string, ns: string, o: { state?: string; https?: boolean } = {}): FakeCustom {
  return {
    apiVersion: 'ais.nvidia.com/v1beta1',
    kind: 'AIStore',
    metadata: { name, namespace: ns },
    spec: {
      size: 3,
      proxySpec: { servicePort: 51080 },
      ...(o.https ? { configToUpdate: { net: { http: { use_https: true } } } } : {}),
    },
    status: { state: o.state ?? 'Ready' },
  };
}

const node = (name: string, ip: string, ready = true): FakeNode => ({
  metadata: { name },
  status: {
    addresses: [
      { type: 'Hostname', address: name },
      { type: 'InternalIP', address: ip },
    ],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
  },
});

describe('discoverClusters', () => {
  let fake: FakeApiserver;
  let k8s: K8sEtlPods;
  fakeApiserverForSuite('ais', (c) => ({ fake, k8s } = c));
  afterEach(() => {
    fake.aistores = [];
    fake.services = [];
    fake.nodes = [];
    fake.forbidden = [];
  });

  it('finds AIStore resources across namespaces and picks LoadBalancer > NodePort > port-forward', async () => {
    fake.aistores = [
      aistore('lbcluster', 'ais'),
      aistore('npcluster', 'team-b', { state: 'Upgrading' }),
      aistore('inner', 'team-c', { https: true }),
    ];
    fake.nodes = [node('down', '10.0.0.9', false), node('n1', '10.0.0.1')];
    fake.services = [
      operatorService('lbcluster', 'ais', 'headless'),
      operatorService('lbcluster', 'ais', 'lb', { ingress: { ip: '203.0.113.7' }, nodePort: 30999 }),
      operatorService('npcluster', 'team-b', 'headless'),
      {
        metadata: { name: 'np-access', namespace: 'team-b' },
        spec: {
          type: 'NodePort',
          selector: { app: 'npcluster', component: 'proxy' },
          ports: [{ port: 51080, nodePort: 31080 }],
        },
      },
      operatorService('inner', 'team-c', 'headless'),
      {
        metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
        spec: { type: 'ClusterIP', ports: [{ port: 53 }] },
      },
    ];
    const found = await k8s.discoverClusters();
    assert.deepEqual(
      found.map((c) => [c.namespace, c.name, c.how, c.endpoint, c.source, c.state]),
      [
        ['ais', 'lbcluster', 'load-balancer', 'http://203.0.113.7:51080', 'operator', 'Ready'],
        ['team-b', 'npcluster', 'node-port', 'http://10.0.0.1:31080', 'operator', 'Upgrading'],
        ['team-c', 'inner', 'port-forward', undefined, 'operator', 'Ready'],
      ],
    );
    assert.deepEqual(found[2].service, { name: 'inner-proxy', port: 51080 });
    assert.match(found[2].note ?? '', /port-forward/);
    const paths = fake.requests.map((r) => r.path);
    assert.ok(paths.includes('/apis/ais.nvidia.com/v1beta1/aistores'));
    assert.ok(paths.includes('/api/v1/services'));
    assert.ok(paths.includes('/api/v1/nodes'));
  });

  it('uses https for a cluster whose CR turns on use_https, and a pending LoadBalancer falls back to its node port', async () => {
    fake.aistores = [aistore('sec', 'ais', { https: true })];
    fake.nodes = [node('n1', '10.0.0.1')];
    fake.services = [operatorService('sec', 'ais', 'lb', { nodePort: 30123 })];
    const [c] = await k8s.discoverClusters();
    assert.equal(c.how, 'node-port');
    assert.equal(c.endpoint, 'https://10.0.0.1:30123');
  });

  it('finds clusters from proxy Services alone (no operator CRD installed), old operator labels and Helm LB', async () => {
    fake.aistores = undefined; // CRD not installed → 404
    fake.services = [
      {
        metadata: { name: 'legacy-proxy', namespace: 'old', labels: { app: 'legacy' } },
        spec: { clusterIP: 'None', ports: [{ name: 'pub', port: 8080 }] },
      },
      {
        metadata: { name: 'helmais-proxy-lb', namespace: 'h', labels: { 'app.kubernetes.io/name': 'helmais' } },
        spec: { type: 'LoadBalancer', ports: [{ name: 'pub', port: 51080 }] },
        status: { loadBalancer: { ingress: [{ hostname: 'ais.example.com' }] } },
      },
    ];
    const found = await k8s.discoverClusters();
    assert.deepEqual(
      found.map((c) => [c.namespace, c.name, c.how, c.endpoint ?? c.service?.name, c.source]),
      [
        ['h', 'helmais', 'load-balancer', 'http://ais.example.com:51080', 'service'],
        ['old', 'legacy', 'port-forward', 'legacy-proxy', 'service'],
      ],
    );
  });

  it('falls back to the current namespace on 403 and still answers when nodes are forbidden', async () => {
    fake.forbidden = [
      { path: /^\/apis\/ais\.nvidia\.com\/v1beta1\/aistores$/ },
      { path: /^\/api\/v1\/services$/ },
      { path: /^\/api\/v1\/nodes$/ },
    ];
    fake.aistores = [aistore('mine', 'ais'), aistore('theirs', 'other')];
    fake.services = [
      { ...operatorService('mine', 'ais', 'headless') },
      {
        metadata: { name: 'mine-np', namespace: 'ais' },
        spec: {
          type: 'NodePort',
          selector: { 'app.kubernetes.io/name': 'mine', 'app.kubernetes.io/component': 'proxy' },
          ports: [{ name: 'pub', port: 51080, nodePort: 32000 }],
        },
      },
      operatorService('theirs', 'other', 'headless'),
    ];
    const found = await k8s.discoverClusters();
    assert.equal(found.length, 1);
    assert.equal(found[0].name, 'mine');
    assert.equal(found[0].how, 'node-port');
    assert.equal(found[0].endpoint, undefined);
    assert.match(found[0].note ?? '', /node port 32000/);
    assert.match(found[0].note ?? '', /only namespace "ais"/);
    const paths = fake.requests.map((r) => r.path);
    assert.ok(paths.includes('/apis/ais.nvidia.com/v1beta1/namespaces/ais/aistores'));
    assert.ok(paths.includes('/api/v1/namespaces/ais/services'));
  });

  it('recognises proxy Services by operator labels, name convention or selector, and nothing else', () => {
    assert.equal(proxyServiceCluster(operatorService('x', 'n', 'lb')), 'x');
    assert.equal(proxyServiceCluster({ metadata: { name: 'y-proxy', labels: { app: 'y' } } }), 'y');
    assert.equal(proxyServiceCluster({ metadata: { name: 'z-proxy', labels: { app: 'other' } } }), undefined);
    assert.equal(
      proxyServiceCluster({ metadata: { name: 'any' }, spec: { selector: { app: 'w', component: 'proxy' } } }),
      'w',
    );
    assert.equal(
      proxyServiceCluster({
        metadata: { name: 'w-target', labels: { app: 'w', 'app.kubernetes.io/component': 'target-svc' } },
      }),
      undefined,
    );
  });
});
