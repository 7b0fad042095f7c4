// Cluster list and tree housekeeping: add/remove/select cluster, token, refresh, load more, prefix filter, copy name.
//
// Plain arguments (tests): `aistore.addCluster({ name, endpoint })` → entry id; `aistore.setToken({ cluster, token })`
// (token '' removes it); `aistore.selectCluster('name')`; `aistore.refresh(node | nodeId)`; `aistore.loadMore(node |
// nodeId)` → the container node; `aistore.filterPrefix({ cluster?, bucket, prefix })` → prefix;
// `aistore.copyName(node | { etl } | { bucket, object })` → the copied text.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { normalizeEndpoint } from '../services/clusterSources';
import { UserError } from '../services/errors';
import { addClusterSetting, removeClusterSetting } from '../services/settings';
import type { TreeNode } from '../views/treeNodes';
import { bucketTarget, clusterTarget } from './args';
import { cancelled, confirm, pickCluster } from './ui';

type Loose = Record<string, unknown>;

export async function addCluster(s: Services, arg?: unknown): Promise<string> {
  const o = (arg && typeof arg === 'object' ? arg : {}) as Loose;
  const endpointText = typeof o.endpoint === 'string' ? o.endpoint : await vscode.window.showInputBox({
    title: 'Add cluster', prompt: 'AIS endpoint (a proxy URL)', placeHolder: 'http://aistore.example.com:51080',
    validateInput: (v) => (normalizeEndpoint(v) ? undefined : 'An http:// or https:// URL'),
  });
  if (!endpointText) throw cancelled();
  const endpoint = normalizeEndpoint(endpointText);
  if (!endpoint) throw new UserError(`"${endpointText}" is not an http(s) URL`, 'use the URL of an AIS proxy, e.g. http://host:51080');
  const name = typeof o.name === 'string' ? o.name : await vscode.window.showInputBox({ title: 'Add cluster', prompt: 'Name shown in the Clusters view', value: new URL(endpoint).hostname });
  if (name === undefined) throw cancelled();
  await addClusterSetting({ name: name.trim() || new URL(endpoint).host, endpoint });
  s.registry.reload();
  const entry = s.registry.get(endpoint);
  if (!entry) throw new UserError(`The cluster ${endpoint} was saved but is not listed`, 'check the "aistore.clusters" setting');
  s.registry.setActive(entry.id);
  return entry.id;
}

export async function removeCluster(s: Services, arg?: unknown): Promise<boolean> {
  const id = await pickCluster(s, clusterTarget(arg), 'Remove cluster');
  const entry = s.registry.resolve(id);
  if (entry.source !== 'settings') {
    throw new UserError(`${entry.name} comes from ${entry.source === 'local' ? 'the local cluster' : entry.source === 'env' ? 'AIS_ENDPOINT' : 'the ais CLI config'}, not from settings`,
      entry.source === 'local' ? 'stop it with "AIStore: Stop local cluster"' : 'change it where it is defined');
  }
  if ((arg as Loose | undefined)?.confirm !== false && !(await confirm(`Remove ${entry.name} (${entry.endpoint}) from the Clusters view?`, 'Remove'))) return false;
  await removeClusterSetting(entry.endpoint);
  await s.context.secrets.delete(s.tokenKey(entry.endpoint));
  s.registry.reload();
  return true;
}

export async function setToken(s: Services, arg?: unknown): Promise<boolean> {
  const id = await pickCluster(s, clusterTarget(arg), 'Set token');
  const entry = s.registry.resolve(id);
  const given = (arg as Loose | undefined)?.token;
  const token = typeof given === 'string' ? given : await vscode.window.showInputBox({
    title: `Token for ${entry.name}`, prompt: 'AIS auth token (stored in the OS keychain; leave empty to remove)', password: true, ignoreFocusOut: true,
  });
  if (token === undefined) throw cancelled();
  if (token.trim()) await s.context.secrets.store(s.tokenKey(entry.endpoint), token.trim());
  else await s.context.secrets.delete(s.tokenKey(entry.endpoint));
  s.log.info(`token ${token.trim() ? 'set' : 'removed'} for ${entry.name}`); // never the token itself
  s.registry.dropClient(entry.id);
  s.tree.refresh();
  return !!token.trim();
}

export async function selectCluster(s: Services, arg?: unknown): Promise<string> {
  const given = clusterTarget(arg);
  const id = given ? s.registry.resolve(given).id : await pickCluster(s, undefined, 'Select active cluster');
  s.registry.setActive(id);
  return id;
}

function nodeFrom(s: Services, arg: unknown): TreeNode | undefined {
  if (typeof arg === 'string') return s.tree.find(arg);
  if (arg && typeof arg === 'object' && 'kind' in arg && 'id' in arg) return arg as TreeNode;
  return undefined;
}

export async function refresh(s: Services, arg?: unknown): Promise<void> {
  const node = nodeFrom(s, arg);
  s.k8s.forgetFailures();
  if (!node) { s.registry.reload(); s.tree.refresh(); return; }
  if (node.kind === 'error') await s.tree.retry(node); else s.tree.refresh(node);
}

export async function loadMore(s: Services, arg?: unknown): Promise<TreeNode | undefined> {
  const node = nodeFrom(s, arg);
  if (!node) throw new UserError('Nothing to load more of', 'expand a bucket in the Clusters view');
  return s.tree.loadMore(node);
}

export async function filterPrefix(s: Services, arg?: unknown): Promise<string> {
  const t = bucketTarget(arg);
  if (!t) throw new UserError('Filter needs a bucket', 'use it on a bucket in the Clusters view');
  const cluster = s.registry.resolve(t.cluster).id;
  const given = (arg as Loose).prefix;
  const prefix = typeof given === 'string' && (arg as Loose).kind === undefined ? given : await vscode.window.showInputBox({
    title: `Filter ${t.bucket}`, prompt: 'Show only objects whose names start with (server-side; empty = all)', value: s.tree.filterOf(cluster, t.bucket),
  });
  if (prefix === undefined) throw cancelled();
  s.tree.setFilter(cluster, t.bucket, prefix.trim());
  return prefix.trim();
}

export async function copyName(_s: Services, arg?: unknown): Promise<string> {
  const o = (arg && typeof arg === 'object' ? arg : {}) as Loose;
  const text = typeof arg === 'string' ? arg
    : typeof o.pod === 'string' && o.pod ? o.pod
    : typeof o.etlName === 'string' && !o.targetId ? o.etlName
      : typeof o.etl === 'string' ? o.etl
        : typeof o.object === 'string' && typeof o.bucket === 'string' ? `ais://${o.bucket}/${o.object}`
          : typeof o.prefix === 'string' && o.prefix && typeof o.bucket === 'string' ? `ais://${o.bucket}/${o.prefix}`
            : typeof o.bucket === 'string' ? `ais://${o.bucket}`
              : typeof o.targetId === 'string' ? o.targetId
                : typeof o.label === 'string' ? o.label : '';
  if (!text) throw new UserError('Nothing to copy', 'use it on a bucket, object or ETL');
  await vscode.env.clipboard.writeText(text);
  return text;
}
