// Create / delete bucket, upload a file or a folder (streamed from disk, never read into memory).
//
// Plain arguments: `aistore.createBucket({ cluster?, bucket })` → name; `aistore.deleteBucket({ cluster?, bucket,
// confirm: false })` → true when deleted; `aistore.uploadFile({ cluster?, bucket, files: string[], prefix? })` and
// `aistore.uploadFolder({ cluster?, bucket, folder, prefix? })` → the object names written.
import { readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { bucketNameError } from '../engine/ais/names';
import type { ClusterClient } from '../services/engine';
import { CancelledError, UiError } from '../services/errors';
import { pluralize } from '../services/format';
import type { BucketNode, BucketsNode, ClusterNode, PrefixNode } from '../views/treeNodes';
import { bucketRef, clusterRef, type BucketRef } from './args';
import type { CommandContext } from './context';
import { declareCommand } from './table';
import { checkBucketName } from './bucketNames';
import { askInput } from './prompts';
import { confirm, pickBucket, pickCluster, withCancellableProgress } from './ui';

export const createBucket = declareCommand<ClusterNode | BucketsNode | BucketRef, string>(
  'aistore.createBucket',
  'Create bucket',
  async (s, arg) => {
    const cluster = await pickCluster(s, clusterRef(arg), 'Create bucket');
    const given = arg && !('kind' in arg) ? arg.bucket : undefined;
    const { client, entry } = await s.clientFor(cluster);
    const name = (given ?? (await askBucketName(client, entry.name))).trim();
    const problem = bucketNameError(name);
    if (problem) throw new UiError(problem, { hint: 'use up to 64 letters, digits, "-", "_" or "."' });
    await client.createBucket(name);
    s.log.info(`created bucket ${name} on ${cluster}`);
    s.tree.refreshBuckets(cluster);
    return name;
  },
);

async function askBucketName(client: ClusterClient, cluster: string): Promise<string> {
  const existing = (await client.listBuckets()).map((b) => b.name);
  return askInput({
    title: `Create bucket on ${cluster}`,
    prompt: 'Bucket name (letters, digits, "-", "_" or ".")',
    check: (v) => (v.trim() === '' ? undefined : checkBucketName(v, existing, cluster)),
  });
}

export const deleteBucket = declareCommand<BucketNode | (BucketRef & { confirm?: boolean }), boolean>(
  'aistore.deleteBucket',
  'Delete bucket',
  async (s, arg) => {
    const given = bucketRef(arg);
    const cluster = await pickCluster(s, given.cluster, 'Delete bucket');
    const { client } = await s.clientFor(cluster);
    const bucket = given.bucket ?? (await pickBucket(client, 'Delete bucket'));
    const ask = !(arg && 'confirm' in arg && arg.confirm === false);
    const question = `Delete bucket ${bucket} and all its objects on ${cluster}? This cannot be undone.`;
    if (ask && !(await confirm(question, 'Delete'))) return false;
    await client.destroyBucket(bucket);
    s.log.info(`deleted bucket ${bucket} on ${cluster}`);
    s.tree.refreshBuckets(cluster);
    return true;
  },
);

type UploadArg<Extra> = BucketNode | PrefixNode | (BucketRef & { prefix?: string } & Extra);

async function uploadTarget(s: CommandContext, arg: UploadArg<object> | undefined, title: string) {
  const t = bucketRef(arg);
  const cluster = await pickCluster(s, t.cluster, title);
  const bucket = t.bucket ?? (await pickBucket((await s.clientFor(cluster)).client, title));
  const prefix = (arg && 'prefix' in arg ? arg.prefix : undefined) ?? '';
  return { cluster, bucket, prefix };
}

export const uploadFile = declareCommand<UploadArg<{ files?: string[] }>, string[]>(
  'aistore.uploadFile',
  'Upload file',
  async (s, arg) => {
    const { cluster, bucket, prefix } = await uploadTarget(s, arg, 'Upload file');
    let files = arg && 'files' in arg ? arg.files : undefined;
    if (!files) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: `Upload to ${bucket}` });
      if (!picked) throw new CancelledError();
      files = picked.map((u) => u.fsPath);
    }
    return upload(
      s,
      cluster,
      bucket,
      files.map((f) => ({ file: f, name: prefix + basename(f) })),
    );
  },
);

export const uploadFolder = declareCommand<UploadArg<{ folder?: string }>, string[]>(
  'aistore.uploadFolder',
  'Upload folder',
  async (s, arg) => {
    const { cluster, bucket, prefix } = await uploadTarget(s, arg, 'Upload folder');
    let folder = arg && 'folder' in arg ? arg.folder : undefined;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: `Upload to ${bucket}`,
      });
      if (!picked?.[0]) throw new CancelledError();
      folder = picked[0].fsPath;
    }
    const files: { file: string; name: string }[] = [];
    for await (const f of walk(folder))
      files.push({ file: f, name: prefix + relative(folder, f).split(sep).join('/') });
    return upload(s, cluster, bucket, files);
  },
);

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

async function upload(
  s: CommandContext,
  cluster: string,
  bucket: string,
  files: { file: string; name: string }[],
): Promise<string[]> {
  const { client } = await s.clientFor(cluster);
  const done: string[] = [];
  await withCancellableProgress(`Uploading to ${bucket}`, async (signal, report) => {
    for (const f of files) {
      if (signal.aborted) break;
      report(`${f.name} (${done.length + 1}/${files.length})`, 100 / files.length);
      await client.putObject(bucket, f.name, { file: f.file }, { signal });
      done.push(f.name);
    }
  });
  s.log.info(`uploaded ${pluralize(done.length, 'object')} to ${bucket} on ${cluster}`);
  s.tree.refreshBucket(cluster, bucket);
  return done;
}
