// Entry of the Restricted Mode run (scripts/vscode-host-test.sh with AISETL_HOST_SUITE=restricted): the same mocha
// runner as the main suite, bundled here, so it runs the suites of restricted/suite next to this file.
export { run } from '../index';
