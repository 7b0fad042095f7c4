// Which running ETLs a debugger can attach to, and where their code lives for breakpoints: the worker's copy of a
// code ETL's code.py, the file the SDK wrapper's user code is written to while debugging, the file an ETLServer
// class's unpickled code is renamed to, or (Pod/runtime-spec servers) the user's own files, which they run from.
import { EXEC_ETL_SRC, WRAPPER_SOURCE_ENV, WRAPPER_SOURCE_NAME } from '../../etl/wrapper';
import { hasClassPayload } from './classRuntime';
import { PYTHON_EXE } from './commandSources';
import type { ContainerSource, LocalEtlSpec } from './types';

export type DebugPlan =
  | {
      ok: true;
      /** what the ETL is, for messages */
      kind: 'code' | 'wrapped code' | 'class' | 'server';
      /** the file (relative to the worker's work dir) a debugger maps the user's deployed file onto */
      codeFile?: string;
      /** code compiled from a string under these names is written to the work dir while debugging */
      sourceNames: string[];
    }
  | { ok: false; problem: string };

/** What attaching works for, said by every refusal. */
export const ATTACH_WORKS_FOR =
  'attaching works for code ETLs (transform(bytes), hpush/hpull/ws), ETLServer classes deployed with init_class, ' +
  'and Pod/runtime-spec ETLs whose command runs a Python file';
const INSTEAD = 'use "Debug ETL on this object" instead';

const CLASS_SOURCE_NAME = 'etl_class.py';

export function debugPlan(spec: LocalEtlSpec): DebugPlan {
  const { name, source } = spec;
  if (spec.commType === 'io://') {
    const problem = `ETL ${name} is an io:// ETL (one process per object): attaching needs a long-running worker`;
    return { ok: false, problem: `${problem}; ${INSTEAD}` };
  }
  if (source.type === 'code') return { ok: true, kind: 'code', codeFile: 'code.py', sourceNames: [] };
  if (source.type !== 'container') {
    return { ok: false, problem: `ETL ${name} runs an io:// script: ${ATTACH_WORKS_FOR}; ${INSTEAD}` };
  }
  return containerPlan(name, source, spec.env);
}

function containerPlan(name: string, src: ContainerSource, specEnv: LocalEtlSpec['env']): DebugPlan {
  const argv = [...(src.command ?? []), ...(src.args ?? [])];
  const env = [...src.env, ...specEnv];
  const wrapped = env.some((e) => e.name === WRAPPER_SOURCE_ENV) && argv.some((a) => a.includes(EXEC_ETL_SRC));
  if (wrapped)
    return { ok: true, kind: 'wrapped code', codeFile: WRAPPER_SOURCE_NAME, sourceNames: [WRAPPER_SOURCE_NAME] };
  // the class's code is renamed to this file while debugging (aisetl_class_bootstrap.py)
  if (argv.length === 0 && hasClassPayload(env)) {
    return { ok: true, kind: 'class', codeFile: CLASS_SOURCE_NAME, sourceNames: [CLASS_SOURCE_NAME] };
  }
  if (runsInlinePython(argv)) {
    return {
      ok: false,
      problem:
        `ETL ${name} runs inline Python (python -c), which has no file a breakpoint could bind to: ` +
        `${ATTACH_WORKS_FOR} (e.g. command: ["python", "server.py"]); ${INSTEAD}`,
    };
  }
  return { ok: true, kind: 'server', sourceNames: [] };
}

/** `python [-u …] -c <code>`: the options before the script or module name include -c. */
function runsInlinePython(argv: string[]): boolean {
  if (!PYTHON_EXE.test(argv[0] ?? '')) return false;
  for (const a of argv.slice(1)) {
    if (!a.startsWith('-') || a === '-m') return false;
    if (/^-[A-Za-z]*c$/.test(a)) return true;
  }
  return false;
}
