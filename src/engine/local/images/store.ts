// The local image store: one JSON record per tag under `$AISETL_HOME/images` (default `~/.aisetl/images`).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PathMapping {
  container: string;
  host: string;
  dir: boolean;
}

export interface LocalImage {
  tag: string; // normalised: docker.io/ and library/ dropped, ":latest" added
  dir: string; // the build context folder
  dockerfile: string;
  from?: string;
  workdir: string; // container WORKDIR at the end of the build ('/' by default)
  paths: PathMapping[]; // COPY/ADD destinations → files/folders in `dir`
  dirs: string[]; // RUN mkdir / WORKDIR folders (exist only in the container)
  entrypoint?: string[];
  cmd?: string[];
  env: Record<string, string>;
  expose: number[];
  warnings: string[]; // e.g. RUN lines not executed locally
  builtAt: string;
}

export function defaultImageStoreDir(): string {
  return path.join(process.env.AISETL_HOME || path.join(os.homedir(), '.aisetl'), 'images');
}

/** `docker.io/library/python` → `python:latest`; `docker.io/aistore/md5_server:v1` → `aistore/md5_server:v1`. */
export function normalizeTag(tag: string): string {
  let t = tag.trim();
  if (t.includes('@')) t = t.slice(0, t.indexOf('@')); // a digest pins nothing here
  t = t.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  const lastSlash = t.lastIndexOf('/');
  if (!t.slice(lastSlash + 1).includes(':')) t += ':latest';
  return t;
}

function recordPath(storeDir: string, tag: string): string {
  return path.join(storeDir, encodeURIComponent(normalizeTag(tag)) + '.json');
}

export function saveImage(storeDir: string, img: LocalImage): void {
  fs.mkdirSync(storeDir, { recursive: true });
  const file = recordPath(storeDir, img.tag);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(img, null, 2));
  fs.renameSync(tmp, file); // atomic: a concurrent reader sees the old or the new record
}

export function loadImage(storeDir: string, tag: string): LocalImage | undefined {
  try {
    return JSON.parse(fs.readFileSync(recordPath(storeDir, tag), 'utf8')) as LocalImage;
  } catch {
    return undefined;
  }
}

export function listImages(storeDir: string): LocalImage[] {
  if (!fs.existsSync(storeDir)) return [];
  return fs
    .readdirSync(storeDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      try {
        return JSON.parse(fs.readFileSync(path.join(storeDir, f), 'utf8')) as LocalImage;
      } catch {
        return undefined;
      }
    })
    .filter((x): x is LocalImage => x !== undefined);
}
