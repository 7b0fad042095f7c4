// The official `aistorage/runtime_python:<ver>` image run locally: which Python packages its command needs.
// The image ships `aistore[etl]`; installing all of it for every ETL is slow, so the SDK is installed only when
// the command imports it (in its own text, its env payloads, or the Python file it runs and the local modules that
// file imports), with the `etl` extra only when a web framework is used. Packages a shell command installs itself
// (`sh -c "pip install … && python …"`, the wrapper of a code.py with dependencies) are installed into that venv
// too, so the command's own pip finds them there, as the image's pip does after its install.
import { splitWords } from '../../etl/dockerfile';
import { commandSourceTexts, shellScript, type SourceLocation } from './commandSources';

export type { SourceLocation } from './commandSources';

/** The aistore SDK release installed for runtime_python commands that import it. */
export const AISTORE_SDK_VERSION = '2.0.0';
const RUNTIME_PYTHON = /^(?:docker\.io\/)?aistorage\/runtime_python(?::|$)/;
const SDK_IMPORT = /\b(?:import|from)\s+aistore\b/;
/** Frameworks the image has through the SDK's `etl` extra: importing one needs that extra even without the SDK. */
const ETL_EXTRA_IMPORT = /^\s*(?:import|from)\s+(?:fastapi|flask|uvicorn|gunicorn|httpx|aiofiles)\b/m;
const WEB = /\b(?:FastAPIServer|FlaskServer|fastapi|flask|uvicorn|gunicorn)\b/;
const MAX_BASE_CHAIN = 8;

export function isRuntimePythonImage(image: string): boolean {
  return RUNTIME_PYTHON.test(image);
}

/**
 * Whether a locally built image is runtime_python underneath: its FROM, or the FROM of the local image it is
 * built on (followed through `lookup`, a few levels at most), is the official runtime image.
 */
export function builtOnRuntimePython(
  img: { from?: string },
  lookup: (tag: string) => { from?: string } | undefined,
): boolean {
  let cur: { from?: string } | undefined = img;
  for (let depth = 0; cur?.from && depth < MAX_BASE_CHAIN; depth++) {
    if (isRuntimePythonImage(cur.from)) return true;
    cur = lookup(cur.from);
  }
  return false;
}

/**
 * Requirements for a runtime_python command: the SDK if imported (also inside base64 env payloads, and, given
 * where the command's files are, in the Python files it runs), plus PACKAGES, plus what the command's own
 * `pip install` installs.
 */
export function runtimePythonRequirements(
  argv: string[],
  env: { name: string; value: string }[],
  sources?: SourceLocation,
): string[] {
  const texts = [
    ...argv,
    ...env.map((e) => e.value),
    ...env.map((e) => decodeBase64(e.value)),
    ...(sources ? commandSourceTexts(argv, sources) : []),
  ];
  const reqs = new Set<string>();
  const extra = texts.some((t) => ETL_EXTRA_IMPORT.test(t));
  if (extra || texts.some((t) => SDK_IMPORT.test(t))) {
    const web = extra || texts.some((t) => WEB.test(t));
    reqs.add(`aistore${web ? '[etl]' : ''}==${AISTORE_SDK_VERSION}`);
  }
  for (const e of env) {
    if (e.name === 'PACKAGES')
      for (const p of e.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean))
        reqs.add(p);
  }
  for (const r of shellPipInstalls(argv)) reqs.add(r);
  return [...reqs];
}

const PIP_INSTALL = /\b(?:pip3?|python3?(?:\.\d+)?\s+-m\s+pip)\s+install\s+([^&;|\n]*)/g;
/** pip options that take a value as the next word. */
const PIP_VALUE_OPTIONS = new Set([
  ...['-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root'],
  ...['-c', '--constraint', '-r', '--requirement', '-e', '--editable', '--trusted-host', '--cache-dir', '--src'],
  ...['--timeout', '--retries', '--proxy', '--cert', '--no-binary', '--only-binary', '--platform', '--log'],
  ...['--python-version', '--progress-bar', '--upgrade-strategy', '--exists-action'],
]);

/** The packages named by `pip install …` in a `sh -c` script (options and their values left out). */
export function shellPipInstalls(argv: string[]): string[] {
  const script = shellScript(argv);
  if (!script) return [];
  const out: string[] = [];
  for (const m of script.matchAll(PIP_INSTALL)) {
    const words = splitWords(m[1]);
    for (let i = 0; i < words.length; i++) {
      if (!words[i].startsWith('-')) out.push(words[i]);
      else if (PIP_VALUE_OPTIONS.has(words[i])) i++;
    }
  }
  return out;
}

function decodeBase64(v: string): string {
  if (v.length < 8 || !/^[A-Za-z0-9+/=\s]+$/.test(v)) return '';
  return Buffer.from(v, 'base64').toString('utf8');
}
