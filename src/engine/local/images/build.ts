// `aisetl build -t TAG DIR`: the local twin of `docker build`. It records, against the folder, where the
// Dockerfile puts files and what it runs; the local cluster then runs the container command as a host process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  commandForm,
  execForm,
  parseDockerfile,
  parseEnv,
  splitWords,
  substitute,
  type DockerInstruction,
} from '../../etl/dockerfile';
import { defaultImageStoreDir, normalizeTag, saveImage, type LocalImage, type PathMapping } from './store';

export interface BuildOptions {
  storeDir?: string;
  dockerfile?: string; /* default <dir>/Dockerfile */
}

export async function buildLocalImage(tag: string, dir: string, o: BuildOptions = {}): Promise<LocalImage> {
  if (!tag.trim()) throw new Error('aisetl build needs an image name: aisetl build -t <image> <dir>');
  const root = path.resolve(dir);
  const dockerfile = path.resolve(root, o.dockerfile ?? 'Dockerfile');
  let text: string;
  try {
    text = await fs.promises.readFile(dockerfile, 'utf8');
  } catch {
    throw new Error(
      `cannot build image "${tag}": no Dockerfile at ${dockerfile}. Put a Dockerfile in ${root} or pass its path.`,
    );
  }
  const img = interpret(text, { tag: normalizeTag(tag), root, dockerfile });
  saveImage(o.storeDir ?? defaultImageStoreDir(), img);
  return img;
}

interface Ctx {
  tag: string;
  root: string;
  dockerfile: string;
}

/** `Dockerfile:12` for messages (1-based, like docker). */
const whereOf = (ins: DockerInstruction, c: Ctx): string =>
  `${path.basename(c.dockerfile)}:${ins.range.start.line + 1}`;

/** Reads the Dockerfile as the editor does and refuses what docker build would refuse. */
function interpret(text: string, c: Ctx): LocalImage {
  const { info, diagnostics } = parseDockerfile(text);
  if (!info.from) throw new Error(`cannot build image "${c.tag}": ${c.dockerfile} has no FROM instruction.`);
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error) {
    const where = `${path.basename(c.dockerfile)}:${error.range.start.line + 1}`;
    throw new Error(`cannot build image "${c.tag}": ${where}: ${error.message}`);
  }
  const img: LocalImage = {
    tag: c.tag,
    dir: c.root,
    dockerfile: c.dockerfile,
    workdir: '/',
    paths: [],
    dirs: [],
    env: {},
    expose: [],
    warnings: [],
    builtAt: new Date().toISOString(),
  };
  const vars = new Map<string, string>();
  for (const ins of info.instructions) apply(ins, substitute(ins.args, vars), img, vars, c);
  return img;
}

/** One instruction's effect on the local image; `args` has ARG/ENV values substituted. */
function apply(ins: DockerInstruction, args: string, img: LocalImage, vars: Map<string, string>, c: Ctx): void {
  switch (ins.keyword) {
    case 'FROM':
      if (img.from) img.warnings.push(`${whereOf(ins, c)}: multi-stage build; only the last stage is mapped locally`);
      img.from = args.split(/\s+/).find((w) => !w.startsWith('--')); // `FROM --platform=… base AS stage`
      break;
    case 'ARG': {
      const [name, def] = ins.args.split('=', 2);
      if (!vars.has(name.trim())) vars.set(name.trim(), def ?? '');
      break;
    }
    case 'ENV':
      for (const [k, v] of parseEnv(args)) {
        img.env[k] = v;
        vars.set(k, v);
      }
      break;
    case 'WORKDIR':
      img.workdir = path.posix.resolve(img.workdir, args);
      img.dirs.push(img.workdir);
      break;
    case 'RUN':
      run(ins, args, img, c);
      break;
    case 'COPY':
    case 'ADD':
      copy(ins, args, img, c, whereOf(ins, c));
      break;
    case 'EXPOSE':
      for (const p of splitWords(args)) {
        const n = parseInt(p, 10);
        if (Number.isFinite(n)) img.expose.push(n);
      }
      break;
    case 'ENTRYPOINT':
      img.entrypoint = commandForm(args);
      img.cmd = undefined; // docker resets CMD when ENTRYPOINT is set later
      break;
    case 'CMD':
      img.cmd = commandForm(args);
      break;
    default:
      break; // LABEL, USER, VOLUME, HEALTHCHECK, … do not change what runs locally
  }
}

/** `RUN mkdir` is mapped (folders the image would have); any other RUN is reported, never executed. */
function run(ins: DockerInstruction, args: string, img: LocalImage, c: Ctx): void {
  const mk = /^mkdir\s+((?:-p\s+)?)(.+)$/.exec(args);
  if (mk && !/[;&|]/.test(mk[2])) {
    for (const d of splitWords(mk[2])) img.dirs.push(path.posix.resolve(img.workdir, d));
    return;
  }
  img.warnings.push(
    `${whereOf(ins, c)}: RUN ${args.replace(/\s+/g, ' ')} — not executed locally (the local image store only maps files); ` +
      'if the ETL needs what it installs, install that into a venv of your own and start the local cluster with ' +
      'AISETL_PYTHON=<venv>/bin/python',
  );
}

function copy(ins: DockerInstruction, args: string, img: LocalImage, c: Ctx, where: string): void {
  const words = execForm(args) ?? splitWords(args);
  const flags = words.filter((w) => w.startsWith('--'));
  const rest = words.filter((w) => !w.startsWith('--'));
  if (flags.some((f) => f.startsWith('--from'))) {
    img.warnings.push(`${where}: ${ins.keyword} ${args} copies from another image or stage; not mapped locally`);
    return;
  }
  if (rest.length < 2)
    throw new Error(`cannot build image "${c.tag}": ${where}: ${ins.keyword} needs a source and a destination`);
  const dst = rest[rest.length - 1];
  const sources = rest.slice(0, -1).flatMap((s) => expand(s, c, where, ins.keyword));
  const dstAbs = path.posix.resolve(img.workdir, dst);
  // docker copies a file *into* an existing folder (WORKDIR, mkdir'ed, `.`), else to exactly that path
  const intoDir =
    dst.endsWith('/') || dst === '.' || sources.length > 1 || img.dirs.includes(dstAbs) || dstAbs === img.workdir;
  for (const host of sources) {
    const isDir = fs.statSync(host).isDirectory();
    const container = isDir || !intoDir ? dstAbs : path.posix.join(dstAbs, path.basename(host));
    const m: PathMapping = { container, host, dir: isDir };
    img.paths = img.paths.filter((p) => p.container !== container);
    img.paths.push(m);
  }
}

/** Resolves a COPY source inside the build context (with `*`/`?` wildcards in the last segment). */
function expand(src: string, c: Ctx, where: string, keyword: string): string[] {
  if (/^https?:\/\//.test(src))
    throw new Error(
      `cannot build image "${c.tag}": ${where}: ${keyword} from a URL (${src}) is not supported locally; download it into ${c.root}`,
    );
  const abs = path.resolve(c.root, src);
  if (abs !== c.root && !abs.startsWith(c.root + path.sep)) {
    throw new Error(
      `cannot build image "${c.tag}": ${where}: ${keyword} ${src} is outside the build context ${c.root}`,
    );
  }
  const base = path.basename(abs);
  if (/[*?]/.test(base)) {
    const re = new RegExp(
      '^' +
        base
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.') +
        '$',
    );
    const parent = path.dirname(abs);
    const found = fs.existsSync(parent)
      ? fs
          .readdirSync(parent)
          .filter((f) => re.test(f))
          .map((f) => path.join(parent, f))
      : [];
    if (!found.length)
      throw new Error(
        `cannot build image "${c.tag}": ${where}: ${keyword} ${src}: no file in the build context matches`,
      );
    return found;
  }
  if (!fs.existsSync(abs))
    throw new Error(
      `cannot build image "${c.tag}": ${where}: ${keyword} ${src}: file not found in the build context ${c.root}`,
    );
  return [abs];
}
