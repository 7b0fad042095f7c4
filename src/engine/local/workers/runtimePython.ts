// The official `aistorage/runtime_python:<ver>` image run locally: which Python packages its command needs.
// The image ships `aistore[etl]`; installing all of it for every ETL is slow, so the SDK is installed only when
// the command imports it, with the `etl` extra only when a web framework server is used.

/** The aistore SDK release installed for runtime_python commands that import it. */
export const AISTORE_SDK_VERSION = '2.0.0';
const RUNTIME_PYTHON = /^(?:docker\.io\/)?aistorage\/runtime_python(?::|$)/;

export function isRuntimePythonImage(image: string): boolean {
  return RUNTIME_PYTHON.test(image);
}

/** Requirements for a runtime_python command: the SDK if imported (also inside base64 env payloads), plus PACKAGES. */
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
  return [...reqs];
}

function decodeBase64(v: string): string {
  if (v.length < 8 || !/^[A-Za-z0-9+/=\s]+$/.test(v)) return '';
  return Buffer.from(v, 'base64').toString('utf8');
}
