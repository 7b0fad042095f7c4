// Turning a container command line into a host command line: container paths → the image's folder, Python via
// the local interpreter, the containerPort → a free local port, 0.0.0.0 → 127.0.0.1.
import * as fs from 'node:fs';
import { hostPathFor, type LocalImage } from '../images';
import { PYTHON_EXE } from './commandSources';

export interface HostCommand {
  command: string;
  args: string[];
  notes: string[];
}
export interface CommandMapping {
  image?: LocalImage;
  containerPort: number;
  hostPort: number;
  python: string;
}

export function substitutePort(arg: string, from: number, to: number): string {
  if (arg === String(from)) return String(to);
  const p = String(from);
  return (
    arg
      .replace(new RegExp(`^(--?[A-Za-z-]*port=)${p}$`), `$1${to}`)
      .replace(new RegExp(`^((?:[\\w.-]+|\\[[:\\w]+\\]):)${p}$`), `$1${to}`)
      // inside shell strings: `--port 80`, `--port=80`, `-p 80`, `host:80`
      .replace(new RegExp(`((?:--?[A-Za-z-]*port|-p)[= ]|[\\w.\\]]:)${p}(?!\\d)`, 'g'), `$1${to}`)
  );
}

function mapPaths(arg: string, img: LocalImage | undefined): string {
  if (!img) return arg;
  if (arg.startsWith('/')) return hostPathFor(img, arg) ?? arg;
  const eq = arg.indexOf('=');
  if (eq > 0 && arg[eq + 1] === '/') {
    const mapped = hostPathFor(img, arg.slice(eq + 1));
    if (mapped) return arg.slice(0, eq + 1) + mapped;
  }
  if (arg.includes(' ')) {
    // a shell script: replace mapped container paths, longest first
    for (const m of [...img.paths].sort((a, b) => b.container.length - a.container.length)) {
      arg = arg.split(m.container).join(m.host);
    }
  }
  return arg;
}

function isPythonScript(file: string): boolean {
  if (file.endsWith('.py')) return true;
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(128);
    const n = fs.readSync(fd, buf, 0, 128, 0);
    fs.closeSync(fd);
    return /^#!.*python/.test(buf.subarray(0, n).toString().split('\n')[0]);
  } catch {
    return false;
  }
}

export function hostCommand(argv: string[], m: CommandMapping): HostCommand {
  const notes: string[] = [];
  const mapped = argv.map((a) =>
    mapPaths(substitutePort(a.replace(/\b0\.0\.0\.0\b/g, '127.0.0.1'), m.containerPort, m.hostPort), m.image),
  );
  if (m.containerPort !== m.hostPort) notes.push(`container port ${m.containerPort} is local port ${m.hostPort}`);
  const [argv0, ...rest] = mapped;
  if (PYTHON_EXE.test(argv0)) return { command: m.python, args: rest, notes };
  if (argv[0] !== argv0 && fs.existsSync(argv0) && isPythonScript(argv0)) {
    notes.push(`${argv[0]} runs with the local Python as ${argv0}`);
    return { command: m.python, args: [argv0, ...rest], notes };
  }
  if (argv0.endsWith('.py')) return { command: m.python, args: [argv0, ...rest], notes };
  return { command: argv0, args: rest, notes };
}
