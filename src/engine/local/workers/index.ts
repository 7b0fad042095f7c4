// ETL workers: the "pods" of the local cluster. One worker per (ETL, target), speaking the AIS container contract.
import { CodeWorker } from './codeWorker';
import { ContainerWorker } from './containerWorker';
import { IoWorker } from './ioWorker';
import type { EtlWorker, LocalEtlSpec, WorkerContext } from './types';

export type { CommType, EtlWorker, LocalEtlSpec, TransformInput, TransformOutput, WorkerContext } from './types';
export { WorkerTransformError } from './types';
export { AISTORE_SDK_VERSION, isRuntimePythonImage } from './runtimePython';

/** Starts the worker; resolves when it is ready (GET /health 2xx or the documented substitute), rejects with the
 *  log tail after `initTimeoutMs` or when the process dies during start. */
export function startWorker(spec: LocalEtlSpec, ctx: WorkerContext): Promise<EtlWorker> {
  switch (spec.source.type) {
    case 'code':
      if (spec.commType === 'io://')
        return new IoWorker(
          { ...spec, source: { type: 'io', code: spec.source.code, runtime: spec.source.runtime } },
          ctx,
        ).start();
      return new CodeWorker(spec, ctx).start();
    case 'io':
      return new IoWorker(spec, ctx).start();
    case 'container':
      return new ContainerWorker(spec, ctx).start();
  }
}
