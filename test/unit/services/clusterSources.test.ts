import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  endpointFromCliConfig,
  mergeClusterSources,
  normalizeEndpoint,
  parseClusterSettings,
} from '../../../src/services/clusterSources';

test('settings entries are validated; bad ones are reported, good ones kept', () => {
  const { clusters, problems } = parseClusterSettings([
    { name: 'prod', endpoint: 'https://ais.example.com:51080/', caFile: '/ca.pem', skipVerify: true },
    { endpoint: 'http://10.0.0.5:8080' },
    { name: 'bad', endpoint: 'ftp://x' },
    { name: 'missing' },
  ]);
  assert.deepEqual(clusters, [
    { name: 'prod', endpoint: 'https://ais.example.com:51080', tls: { caFile: '/ca.pem', skipVerify: true } },
    { name: '10.0.0.5:8080', endpoint: 'http://10.0.0.5:8080' },
  ]);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /aistore\.clusters\[2\].*endpoint/);
  assert.match(parseClusterSettings({}).problems[0], /must be a list/);
  assert.deepEqual(parseClusterSettings(undefined), { clusters: [], problems: [] });
});

test('ais CLI config: cluster.url, tolerant of junk', () => {
  assert.equal(
    endpointFromCliConfig(JSON.stringify({ cluster: { url: 'http://127.0.0.1:8080' } })),
    'http://127.0.0.1:8080',
  );
  assert.equal(endpointFromCliConfig('{not json'), undefined);
  assert.equal(endpointFromCliConfig(JSON.stringify({ cluster: {} })), undefined);
  assert.equal(normalizeEndpoint('  http://h:1//  '), 'http://h:1');
  assert.equal(normalizeEndpoint('h:1'), undefined);
});

test('merge: local first, one entry per endpoint, unique names', () => {
  const { clusters } = mergeClusterSources({
    settings: [
      { name: 'local', endpoint: 'http://a:1' },
      { name: 'dup', endpoint: 'http://127.0.0.1:9' },
    ],
    env: 'http://a:1',
    cliConfigText: JSON.stringify({ cluster: { url: 'http://cli:2' } }),
    localEndpoint: 'http://127.0.0.1:9',
  });
  assert.deepEqual(
    clusters.map((c) => [c.id, c.endpoint, c.source]),
    [
      ['local', 'http://127.0.0.1:9', 'local'],
      ['local (2)', 'http://a:1', 'settings'],
      ['ais CLI', 'http://cli:2', 'cli'],
    ],
  );
});

test('the local cluster takes its configured name; a settings entry with its endpoint is not listed twice', () => {
  const { clusters } = mergeClusterSources({
    settings: [{ name: 'old entry', endpoint: 'http://127.0.0.1:9' }],
    localEndpoint: 'http://127.0.0.1:9',
    localName: 'local demo',
  });
  assert.deepEqual(
    clusters.map((c) => [c.name, c.source]),
    [['local demo', 'local']],
  );
});
