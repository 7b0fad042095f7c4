// Create / delete bucket, upload a file or a folder (streamed from disk, never read into memory).
//
// Plain arguments (tests): `aistore.createBucket({ cluster?, bucket })` → name; `aistore.deleteBucket({ cluster?,
// bucket, confirm: false })` → true when deleted; `aistore.uploadFile({ cluster?, bucket, files: string[], prefix? })`
// and `aistore.uploadFolder({ cluster?, bucket, folder, prefix? })` → the object names written.
import { readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { UserError } from '../services/errors';
import { pluralize } from '../services/format';
import { bucketTarget, clusterTarget } from './args';
import { cancelled, confirm, pickBucket, pickCluster, withCancellableProgress } from './ui';

type Loose = Record<string, unknown>;
const BUCKET_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export async function createBucket(s: Services, arg?: unknown): Promise<string> {
  const o = (arg && typeof arg === 'object' ? arg : {}) as Loose;
  const cluster = await pickCluster(s, clusterTarget(arg), 'Create bucket');
  const given = o.kind === 'buckets' || o.kind === 'cluster' ? undefined : bucketTarget(arg)?.bucket;
  const name = given ?? await vscode.window.showInputBox({ title: 'Create bucket', prompt: 'Bucket name',
    validateInput: (v) => (BUCKET_NAME.test(v.trim()) ? undefined : 'Up to 64 letters, digits, "-", "_" or "."') });
  if (!name) throw cancelled();
  if (!BUCKET_NAME.test(name)) throw new UserError(`Invalid bucket name "${name}"`, 'use up to 64 letters, digits, "-", "_" or "."');
  const { client } = await s.clientFor(cluster);
  await client.createBucket(name);
  s.log.info(`created bucket ${name} on ${cluster}`);
  s.tree.refreshBuckets(cluster);
  return name;
}

export async function deleteBucket(s: Services, arg?: unknown): Promise<boolean> {
  const given = bucketTarget(arg);
  const cluster = await pickCluster(s, given?.cluster, 'Delete bucket');
  const { client } = await s.clientFor(cluster);
  const bucket = given?.bucket ?? await pickBucket(client, 'Delete bucket');
  const skipAsk = (arg as Loose | undefined)?.confirm === false;
  if (!skipAsk && !(await confirm(`Delete bucket ${bucket} and all its objects on ${cluster}? This cannot be undone.`, 'Delete'))) return false;
  await client.destroyBucket(bucket);
  s.log.info(`deleted bucket ${bucket} on ${cluster}`);
  s.tree.refreshBuckets(cluster);
  return true;
}

async function uploadTarget(s: Services, arg: unknown, title: string): Promise<{ cluster: string; bucket: string; prefix: string }> {
  const o = (arg && typeof arg === 'object' ? arg : {}) as Loose;
  const t = bucketTarget(arg);
  const cluster = await pickCluster(s, t?.cluster ?? clusterTarget(arg), title);
  const bucket = t?.bucket ?? await pickBucket((await s.clientFor(cluster)).client, title);
  const prefix = typeof o.prefix === 'string' ? o.prefix : o.kind === 'folder' ? String(o.prefix ?? '') : '';
  return { cluster, bucket, prefix };
}

export async function uploadFile(s: Services, arg?: unknown): Promise<string[]> {
  const { cluster, bucket, prefix } = await uploadTarget(s, arg, 'Upload file');
  let files = (arg as Loose | undefined)?.files as string[] | undefined;
  if (!files) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: `Upload to ${bucket}` });
    if (!picked) throw cancelled();
    files = picked.map((u) => u.fsPath);
  }
  return upload(s, cluster, bucket, files.map((f) => ({ file: f, name: prefix + basename(f) })));
}

export async function uploadFolder(s: Services, arg?: unknown): Promise<string[]> {
  const { cluster, bucket, prefix } = await uploadTarget(s, arg, 'Upload folder');
  let folder = (arg as Loose | undefined)?.folder as string | undefined;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: `Upload to ${bucket}` });
    if (!picked?.[0]) throw cancelled();
    folder = picked[0].fsPath;
  }
  const files: { file: string; name: string }[] = [];
  for await (const f of walk(folder)) files.push({ file: f, name: prefix + relative(folder, f).split(sep).join('/') });
  return upload(s, cluster, bucket, files);
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p); else if (e.isFile()) yield p;
  }
}

async function upload(s: Services, cluster: string, bucket: string, files: { file: string; name: string }[]): Promise<string[]> {
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
