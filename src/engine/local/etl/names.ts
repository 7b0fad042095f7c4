// ETL name rules (cmn/k8s/util.go ValidateEtlName) with the server's messages.
export function etlNameError(name: string): string | undefined {
  if (name === '') return 'ETL name "" is empty';
  if (name.length < 6) return `ETL name "${name}" is too short`;
  if (name.length > 32) return `ETL name "${name}" is too long`;
  if (!/^[a-z0-9-]+$/.test(name)) return `ETL name "${name}" is invalid: can only contain [a-z0-9-]`;
  return undefined;
}
