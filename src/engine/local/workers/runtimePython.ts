// The official `aistorage/runtime_python:<ver>` image run locally: which Python packages its command needs.
// The image ships `aistore[etl]`; installing all of it for every ETL is slow, so the SDK is installed only when
// the command imports it, with the `etl` extra only when a web framework server is used. Packages a shell command
// installs itself (`sh -c "pip install … && python …"`, the wrapper of a code.py with dependencies) are installed
// into that venv too, so the command's own pip finds them there, as the image's pip does after its install.
import { splitWords } from '../../etl/dockerfile';

/** The aistore SDK release installed for runtime_python commands that import it. */
export const AISTORE_SDK_VERSION = '2.0.0';
const RUNTIME_PYTHON = /^(?:docker\.io\/)?aistorage\/runtime_python(?::|$)/;

export function isRuntimePythonImage(image: string): boolean {
  return RUNTIME_PYTHON.test(image);
}

/**
 * Requirements for a runtime_python command: the SDK if imported (also inside base64 env payloads), plus PACKAGES,
 * plus what the command's own `pip install` installs.
 */
export function runtimePythonRequirements(argv: string[], env: { name: string; value: string }[]): string[] {
  const texts = [...argv, ...env.map((e) => e.value), ...env.map((e) => decodeBase64(e.value))];
  const reqs = new Set<string>();
  if (texts.some((t) => /\b(?:import|from)\s+aistore\b/.test(t))) {
    const web = texts.some((t) => /\b(?:FastAPIServer|FlaskServer|fastapi|flask|uvicorn|gunicorn)\b/.test(t));
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

const SHELL = /^(?:.*\/)?(?:ba|da|a)?sh$/;

/** The packages named by `pip install …` in a `sh -c` script (options and their values left out). */
export function shellPipInstalls(argv: string[]): string[] {
  const c = argv.indexOf('-c');
  if (!SHELL.test(argv[0] ?? '') || c < 1 || c + 1 >= argv.length) return [];
  const out: string[] = [];
  for (const m of argv[c + 1].matchAll(PIP_INSTALL)) {
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
