export function loadK8s(): Promise<typeof import('./index')> {
  return import('./index');
}
