// `aisetl`: the command line of AIStore ETL (bundled to dist/cli.js).
import { buildCommand } from './build';
import { localCommand } from './local';
import { UsageError } from './args';

const HELP = `Usage: aisetl <command> [options]

Commands:
  local start   Start a local AIS cluster (gateway + targets, ETLs as local processes)
  local stop    Stop it
  local status  Show whether it runs and its AIS_ENDPOINT
  build         Record a Dockerfile folder as a local image: aisetl build -t IMAGE DIR

Run "aisetl <command> --help" for details.`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'local':
        return await localCommand(rest);
      case 'build':
        return await buildCommand(rest);
      case undefined:
        console.log(HELP);
        return 2;
      case '--help':
      case '-h':
      case 'help':
        console.log(HELP);
        return 0;
      case '--version':
      case '-v':
        console.log(require('../../package.json').version);
        return 0;
    }
    throw new UsageError(`unknown command "${cmd}"\n\n${HELP}`);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`aisetl: ${e.message}`);
      return 2;
    }
    console.error(`aisetl: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
