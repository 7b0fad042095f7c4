// Cluster list and tree housekeeping: add/remove/select cluster, token, refresh, load more, prefix filter, copy name.
//
// Plain arguments: `aistore.addCluster({ name, endpoint })` → entry id; `aistore.setToken({ cluster, token })`
// (token '' removes it); `aistore.selectCluster({ cluster })`; `aistore.filterPrefix({ cluster?, bucket, prefix })`
// → prefix; `aistore.removeCluster({ cluster, confirm: false })`.
import * as vscode from 'vscode';
import { normalizeEndpoint, type ClusterSource } from '../services/clusterSources';
import { UiError } from '../services/errors';
import { addClusterSetting, removeClusterSetting } from '../services/settings';
import type { BucketNode, ClusterNode, ListingNode, LoadMoreNode, TreeNode } from '../views/treeNodes';
import { bucketRef, clusterRef, type BucketRef, type ClusterRef } from './args';
import { declareCommand } from './table';
import { askInput } from './prompts';
import { askText, confirm, pickCluster } from './ui';

export interface AddClusterArgs {
  name?: string;
  endpoint?: string;
}

const ADD = { title: 'Add cluster', totalSteps: 2 };

export const addCluster = declareCommand<AddClusterArgs, string>(
  'aistore.addCluster',
  'Add cluster',
  async (s, arg) => {
    const listed = (endpoint: string | undefined) => s.registry.list().find((c) => c.endpoint === endpoint);
    const endpointText =
      arg?.endpoint ??
      (await askInput({
        ...ADD,
        step: 1,
        prompt: 'AIS endpoint (a proxy URL)',
        placeholder: 'http://aistore.example.com:51080',
        check: (v) => {
          const url = normalizeEndpoint(v);
          if (!url) return { error: 'An http:// or https:// URL' };
          const known = listed(url);
          return known ? { error: `Already in the Clusters view as "${known.name}"` } : undefined;
        },
      }));
    const endpoint = normalizeEndpoint(endpointText);
    if (!endpoint) {
      throw new UiError(`"${endpointText}" is not an http(s) URL`, {
        hint: 'use the URL of an AIS proxy, e.g. http://host:51080',
      });
    }
    const known = listed(endpoint);
    if (known) {
      s.registry.setActive(known.id); // adding it again would list it twice: select the one there is
      return known.id;
    }
    const host = new URL(endpoint);
    const name =
      arg?.name ??
      (await askInput({ ...ADD, step: 2, prompt: 'Name shown in the Clusters view', value: host.hostname }));
    await addClusterSetting({ name: name.trim() || host.host, endpoint });
    s.registry.reload();
    const entry = s.registry.get(endpoint);
    if (!entry)
      throw new UiError(`The cluster ${endpoint} was saved but is not listed`, {
        hint: 'check the "aistore.clusters" setting',
      });
    s.registry.setActive(entry.id);
    return entry.id;
  },
);

const DEFINED_ELSEWHERE: Record<Exclude<ClusterSource, 'settings'>, { where: string; hint: string }> = {
  local: { where: 'the local cluster', hint: 'stop it with "AIStore: Stop local cluster"' },
  env: { where: 'AIS_ENDPOINT', hint: 'change it where it is defined' },
  cli: { where: 'the ais CLI config', hint: 'change it where it is defined' },
};

export const removeCluster = declareCommand<ClusterNode | (ClusterRef & { confirm?: boolean }), boolean>(
  'aistore.removeCluster',
  'Remove cluster',
  async (s, arg) => {
    const entry = s.registry.resolve(await pickCluster(s, clusterRef(arg), 'Remove cluster'));
    if (entry.source !== 'settings') {
      const { where, hint } = DEFINED_ELSEWHERE[entry.source];
      throw new UiError(`${entry.name} comes from ${where}, not from settings`, { hint });
    }
    const ask = !(arg && 'confirm' in arg && arg.confirm === false);
    if (ask && !(await confirm(`Remove ${entry.name} (${entry.endpoint}) from the Clusters view?`, 'Remove')))
      return false;
    await removeClusterSetting(entry.endpoint);
    await s.context.secrets.delete(s.tokenKey(entry.endpoint));
    s.registry.reload();
    return true;
  },
);

export const setToken = declareCommand<ClusterNode | (ClusterRef & { token?: string }), boolean>(
  'aistore.setToken',
  'Set token',
  async (s, arg) => {
    const entry = s.registry.resolve(await pickCluster(s, clusterRef(arg), 'Set token'));
    const given = arg && 'token' in arg ? arg.token : undefined;
    const token = (
      given ??
      (await askText({
        title: `Token for ${entry.name}`,
        prompt: 'AIS auth token (stored in the OS keychain; leave empty to remove)',
        password: true,
        ignoreFocusOut: true,
      }))
    ).trim();
    if (token) await s.context.secrets.store(s.tokenKey(entry.endpoint), token);
    else await s.context.secrets.delete(s.tokenKey(entry.endpoint));
    s.log.info(`token ${token ? 'set' : 'removed'} for ${entry.name}`); // never the token itself
    s.registry.dropClient(entry.id);
    s.tree.refresh();
    return !!token;
  },
);

export const selectCluster = declareCommand<ClusterNode | ClusterRef, string>(
  'aistore.selectCluster',
  'Select cluster',
  async (s, arg) => {
    const given = clusterRef(arg);
    const id = given ? s.registry.resolve(given).id : await pickCluster(s, undefined, 'Select active cluster');
    s.registry.setActive(id);
    return id;
  },
);

/** Refresh the whole tree (title bar), one node (its menu), or retry what an error row reports (its click). */
export const refresh = declareCommand<TreeNode, void>('aistore.refresh', 'Refresh', async (s, node) => {
  s.k8s.forgetFailures();
  if (!node) {
    s.registry.reload();
    s.tree.refresh();
    return;
  }
  if (node.kind === 'error') await s.tree.retry(node);
  else s.tree.refresh(node);
});

export const loadMore = declareCommand<LoadMoreNode | ListingNode, ListingNode>(
  'aistore.loadMore',
  'Load more',
  async (s, node) => {
    if (!node) throw new UiError('Nothing to load more of', { hint: 'expand a bucket in the Clusters view' });
    return s.tree.loadMore(node.kind === 'loadMore' ? node.parent : node);
  },
);

export const filterPrefix = declareCommand<BucketNode | (BucketRef & { prefix?: string }), string>(
  'aistore.filterPrefix',
  'Filter by prefix',
  async (s, arg) => {
    const t = bucketRef(arg);
    if (!t.bucket) throw new UiError('Filter needs a bucket', { hint: 'use it on a bucket in the Clusters view' });
    const cluster = s.registry.resolve(t.cluster).id;
    const given = arg && !('kind' in arg) ? arg.prefix : undefined;
    const prefix =
      given ??
      (await askText({
        title: `Filter ${t.bucket}`,
        prompt: 'Show only objects whose names start with (server-side; empty = all)',
        value: s.tree.filterOf(cluster, t.bucket),
      }));
    s.tree.setFilter(cluster, t.bucket, prefix.trim());
    return prefix.trim();
  },
);

/** What "Copy name" copies for each kind of row. */
export function nameOf(node: TreeNode): string {
  switch (node.kind) {
    case 'bucket':
      return `ais://${node.bucket}`;
    case 'folder':
      return `ais://${node.bucket}/${node.prefix}`;
    case 'object':
      return `ais://${node.bucket}/${node.object}`;
    case 'etl':
      return node.etlName;
    case 'etlTarget':
      return node.targetId;
    case 'etlPod':
      return node.pod.name;
    default:
      return node.label;
  }
}

export const copyName = declareCommand<TreeNode, string>('aistore.copyName', 'Copy name', async (_s, node) => {
  if (!node) throw new UiError('Nothing to copy', { hint: 'use it on a bucket, object or ETL' });
  const text = nameOf(node);
  await vscode.env.clipboard.writeText(text);
  return text;
});
