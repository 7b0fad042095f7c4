// Deploy settings of an ETLServer class, written next to the code as comment lines (one key per line):
//
//   # ais-etl: name = md5-etl                 ETL name (default: from the file name)
//   # ais-etl: class = Md5Server              which class, when the file has several
//   # ais-etl: communication = hpush://       hpush:// (default), hpull:// or ws://
//   # ais-etl: init_timeout = 5m              obj_timeout = 45s as well (Go durations)
//   # ais-etl: packages = numpy, pillow       pip packages → env PACKAGES (default: requirements.txt next to it)
//   # ais-etl: os_packages = ffmpeg           Alpine packages → env OS_PACKAGES
//   # ais-etl: num_workers = 4                env NUM_WORKERS (server worker processes)
//   # ais-etl: direct_fqn = true              env ETL_DIRECT_FQN: transform() gets the object's local path (str)
//   # ais-etl: direct_put = false             support_direct_put (init_class defaults to true)
//   # ais-etl: env.MY_SETTING = value         any other environment variable of the ETL container
//
// These are exactly the arguments of the SDK's `Etl.init_class(...)`, so a deploy from the editor sends what
// `client.etl(name).init_class(dependencies=…, os_packages=…, comm_type=…, …, NUM_WORKERS=…)(Class)` sends.
import type { EtlClassDefinition, EtlDiagnostic, QuickFix } from './types';
import { normalizeCommType, validateEtlName } from './names';
import { durationProblem } from '../common/goDuration';
import { parseGoBool } from './fields';
import { LineIndex } from './text';

/** The `# ais-etl:` settings of a file: the class definition's init options, each optional until the file sets it. */
export interface EtlClassConfig extends Pick<
  EtlClassDefinition,
  | 'name'
  | 'commType'
  | 'initTimeout'
  | 'objTimeout'
  | 'packages'
  | 'osPackages'
  | 'numWorkers'
  | 'directFqn'
  | 'supportDirectPut'
> {
  className?: string;
  env: Record<string, string>;
  /** Line of each key, for diagnostics that point at a setting. */
  lines: Record<string, number>;
}

export const ETL_CLASS_CONFIG_PREFIX = '# ais-etl:';
const KEYS = [
  'name',
  'class',
  'communication',
  'init_timeout',
  'obj_timeout',
  'packages',
  'os_packages',
  'num_workers',
  'direct_fqn',
  'direct_put',
];
const CONFIG_LINE = /^[ \t]*#[ \t]*ais-etl[ \t]*:[ \t]*([\w.-]+)[ \t]*=[ \t]*(.*?)[ \t]*\r?$/;

function list(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

type Setter = (cfg: EtlClassConfig, value: string) => string | undefined;

const SETTERS: Record<string, Setter> = {
  name: (c, v) => {
    c.name = v;
    return validateEtlName(v);
  },
  class: (c, v) => {
    c.className = v;
    return /^[A-Za-z_]\w*$/.test(v) ? undefined : `"${v}" is not a Python class name`;
  },
  communication: (c, v) => {
    const ct = normalizeCommType(v);
    if (!ct || ct === 'io://') return `unknown communication "${v}": use hpush://, hpull:// or ws://`;
    c.commType = ct;
    return undefined;
  },
  init_timeout: (c, v) => {
    c.initTimeout = v;
    return durationProblem(v, 'init_timeout');
  },
  obj_timeout: (c, v) => {
    c.objTimeout = v;
    return durationProblem(v, 'obj_timeout');
  },
  packages: (c, v) => {
    c.packages = list(v);
    return undefined;
  },
  os_packages: (c, v) => {
    c.osPackages = list(v);
    return undefined;
  },
  num_workers: (c, v) => {
    if (!/^[1-9]\d{0,3}$/.test(v)) return `num_workers must be a positive whole number, not "${v}"`;
    c.numWorkers = Number(v);
    return undefined;
  },
  direct_fqn: (c, v) => {
    c.directFqn = parseGoBool(v);
    return c.directFqn === undefined ? `direct_fqn must be true or false, not "${v}"` : undefined;
  },
  direct_put: (c, v) => {
    c.supportDirectPut = parseGoBool(v);
    return c.supportDirectPut === undefined ? `direct_put must be true or false, not "${v}"` : undefined;
  },
};

/** Reads every `# ais-etl: key = value` line; problems come back as diagnostics on their line. */
export function parseEtlClassConfig(text: string): { config: EtlClassConfig; diagnostics: EtlDiagnostic[] } {
  const config: EtlClassConfig = { env: {}, lines: {} };
  const diagnostics: EtlDiagnostic[] = [];
  const lines = new LineIndex(text);
  text.split('\n').forEach((raw, line) => {
    const m = CONFIG_LINE.exec(raw);
    if (!m) return;
    const [, key, value] = m;
    const range = lines.lineRange(line);
    config.lines[key] = line;
    if (key.startsWith('env.') && key.length > 4) {
      config.env[key.slice(4)] = value;
      return;
    }
    const setter = SETTERS[key];
    if (!setter) {
      const close = KEYS.find((k) => k.replace(/_/g, '') === key.replace(/[_-]/g, '').toLowerCase());
      diagnostics.push({
        severity: 'warning',
        code: 'etl-class-config-key',
        range,
        message:
          `Unknown ais-etl setting "${key}"${close ? `: did you mean "${close}"?` : ''} (known: ` +
          `${KEYS.join(', ')}, env.<NAME>).`,
        ...(close ? { fix: renameKeyFix(raw, line, key, close) } : {}),
      });
      return;
    }
    const problem = setter(config, value);
    if (problem)
      diagnostics.push({
        severity: 'error',
        code: 'etl-class-config-value',
        range,
        message: `ais-etl ${key}: ${problem}.`,
      });
  });
  return { config, diagnostics };
}

function renameKeyFix(raw: string, line: number, key: string, to: string): QuickFix {
  const at = raw.indexOf(key, raw.indexOf(':'));
  return {
    title: `Change to "${to}"`,
    range: { start: { line, character: at }, end: { line, character: at + key.length } },
    newText: to,
  };
}

/** requirements.txt → PACKAGES: the runtime image already has aistore[etl]; pip options do not fit in PACKAGES. */
export function packagesFromRequirements(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('-') && !/^aistore(\[[^\]]*\])?\s*([<>=!~].*)?$/i.test(l));
}
