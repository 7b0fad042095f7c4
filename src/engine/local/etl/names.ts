// ETL name rules with the server's messages (cmn/k8s/util.go ValidateEtlName): the same check the editor runs.
export { serverEtlNameError as etlNameError } from '../../etl/names';
