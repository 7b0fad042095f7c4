// ETL definitions: detect, parse and validate ETL files; build init messages per AIS version.
export * from './types';
export { detectEtlFileKind, parseEtlFile, isDockerfileName } from './parse';
export {
  validateEtlName,
  serverEtlNameError,
  suggestEtlName,
  normalizeCommType,
  COMM_TYPES,
  ETL_NAME_PATTERN,
} from './names';
export { isGoDuration, goDurationToMs } from '../common/goDuration';
export { PYTHON_RUNTIMES, DEFAULT_PYTHON_RUNTIME, ioScriptToTransform } from './python';
export { parseDockerfile, type DockerfileInfo, type DockerCommand, type DockerInstruction } from './dockerfile';
export { buildInitMessage, DEFAULT_INIT_TIMEOUT, DEFAULT_OBJ_TIMEOUT } from './initMessage';
export { RUNTIME_CONTAINER_PORT } from './runtimeSpec';
export {
  buildPythonWrapper,
  wrapperCommand,
  wrapperEnv,
  runtimeImageFor,
  requirementsToPipArgs,
  EXEC_ETL_SRC,
  WRAPPER_PORT_ENV,
  WRAPPER_HOST_ENV,
  WRAPPER_SOURCE_ENV,
  WRAPPER_SOURCE_NAME,
  RUNTIME_IMAGE_REPO,
} from './wrapper';
export { MAX_ETL_FILE_BYTES } from './text';
export {
  findSdkServerClasses,
  findEtlEntryPoints,
  importsAistore,
  SDK_SERVER_BASES,
  wsServerProblem,
  type EtlEntryPoint,
  type EtlServerClassInfo,
} from './etlServerClass';
export {
  parseEtlClassConfig,
  packagesFromRequirements,
  ETL_CLASS_CONFIG_PREFIX,
  type EtlClassConfig,
} from './etlClassConfig';
export {
  buildInitClassMessage,
  serializeEtlClass,
  initClassArgs,
  etlPython,
  probeEtlSdk,
  type InitClassArgs,
  type InitClassOptions,
  type EtlSdkProbe,
} from './initClass';
export { noEntryPointDiagnostic, TRANSFORM_SKELETON } from './python';
export { convertPodSpecToRuntimeSpec, convertedSpecFileName, CONVERT_CODE, type PodConversion } from './podToRuntime';
export { serverContractDiagnostics, serverUsageFromSpec, type ServerUsage } from './serverContract';
export { summarizeInitMsg, podSpecImage, type InitSummary } from './initSummary';
