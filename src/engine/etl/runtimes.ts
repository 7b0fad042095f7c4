// Python runtimes of AIS's code-init API (InitCodeMsg, removed in 3.30), one list for the engine and the local cluster.

/** 3.26–3.29 (python3.8v2 was dropped in 3.26). */
export const PYTHON_RUNTIMES: string[] = [
  'python3.9v2',
  'python3.10v2',
  'python3.11v2',
  'python3.12v2',
  'python3.13v2',
];
/** 3.16–3.25. */
export const LEGACY_PYTHON_RUNTIMES: string[] = ['python3.8v2', 'python3.10v2', 'python3.11v2'];
export const DEFAULT_PYTHON_RUNTIME = 'python3.11v2';

/** Whether any code-init release accepted this runtime name. */
export function isKnownPythonRuntime(runtime: string): boolean {
  return PYTHON_RUNTIMES.includes(runtime) || LEGACY_PYTHON_RUNTIMES.includes(runtime);
}
