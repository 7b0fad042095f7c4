// The compute-md5 tutorial, verbatim, with the official `ais` CLI against our local cluster. Init code and io:// need
// the 3.29-era CLI (the last with `ais etl init code`); everything else uses the 5.0 CLI. Each step is one subtest;
// a CLI that could not be installed makes its steps skip with the registry's answer as the reason.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { localClusterMissing, peer, REPO_ROOT, startLocal, type RunningCluster } from './lib/peers';

const TUTORIAL = join(REPO_ROOT, 'test', 'fixtures', 'tutorial');
const MD5_OF_SOME_TEXT = '393c6706efb128fbc442d3f7d084a426';
const cli50 = peer('AISETL_AIS_CLI_50');
const cli329 = peer('AISETL_AIS_CLI_329');
const why = (p: ReturnType<typeof peer>, v: string): string | undefined => ('skip' in p ? `ais CLI ${v} not installed: ${p.skip}` : undefined);
/** Nothing can run: no CLI at all, or no local cluster yet. Steps still skip one by one so the count shows them. */
const skipAll = (('skip' in cli50 && 'skip' in cli329) ? `${why(cli50, '5.0')}; ${why(cli329, '3.29')}` : undefined) ?? localClusterMissing();

interface Out { code: number; stdout: string; stderr: string }

describe('compute-md5 tutorial with the official ais CLI against the local cluster', () => {
  let cluster: RunningCluster | undefined;
  let home = '';
  let env: NodeJS.ProcessEnv = {};

  /** Run a CLI command line the way the tutorial writes it (through bash, so `echo … | ais put -` works). */
  const sh = (bin: string, line: string, cwd = TUTORIAL): Promise<Out> => new Promise((res) => {
    execFile('bash', ['-c', line.replace(/^ais /, `"${bin}" `).replace(/\| ais /g, `| "${bin}" `)], { cwd, env, timeout: 180_000 },
      (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
  const ok = (o: Out, what: string): void => assert.equal(o.code, 0, `${what} exited ${o.code}\nstdout: ${o.stdout}\nstderr: ${o.stderr}`);

  before(async () => {
    if (skipAll) return;
    home = mkdtempSync(join(tmpdir(), 'aisetl-cli-home-'));
    process.env.AISETL_HOME = join(home, 'aisetl');   // the local cluster's image store, shared with `aisetl build`
    cluster = await startLocal(2);
    // the CLI keeps its config under $HOME/.config/ais/cli: a private HOME keeps the user's untouched
    env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), AIS_ENDPOINT: cluster.endpoint };
  });
  after(async () => {
    await cluster?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const v50 = (name: string, fn: (bin: string) => Promise<void>): void => {
    it(name, { skip: skipAll ?? why(cli50, '5.0') }, () => fn((cli50 as { path: string }).path));
  };
  const v329 = (name: string, fn: (bin: string) => Promise<void>): void => {
    it(name, { skip: skipAll ?? why(cli329, '3.29') }, () => fn((cli329 as { path: string }).path));
  };

  v50('ais create transform', async (ais) => ok(await sh(ais, 'ais create transform'), 'ais create transform'));
  v50('echo "some text :)" | ais put - transform/shard.in', async (ais) => ok(await sh(ais, 'echo "some text :)" | ais put - transform/shard.in'), 'ais put'));

  v329('ais etl init code --from-file=code.py --runtime=python3.11v2 --name=transformer-md5 --comm-type hpull', async (ais) => {
    const o = await sh(ais, 'ais etl init code --from-file=code.py --runtime=python3.11v2 --name=transformer-md5 --comm-type hpull');
    ok(o, 'ais etl init code');
    assert.equal(o.stdout.trim(), 'transformer-md5');
  });
  v50('ais etl object transformer-md5 transform/shard.in - (code ETL)', async (ais) => {
    const o = await sh(ais, 'ais etl object transformer-md5 transform/shard.in -');
    ok(o, 'ais etl object');
    assert.equal(o.stdout.trim(), MD5_OF_SOME_TEXT);
  });
  v50('ais etl bucket transformer-md5 ais://transform ais://transform-md5 --wait', async (ais) => {
    ok(await sh(ais, 'ais etl bucket transformer-md5 ais://transform ais://transform-md5 --wait'), 'ais etl bucket');
    const ls = await sh(ais, 'ais ls ais://transform-md5');
    ok(ls, 'ais ls ais://transform-md5');
    assert.match(ls.stdout, /shard\.in/);
  });
  v50('ais etl show / ais etl show details transformer-md5 / ais etl view-logs transformer-md5', async (ais) => {
    const show = await sh(ais, 'ais etl show');
    ok(show, 'ais etl show');
    assert.match(show.stdout, /transformer-md5/);
    ok(await sh(ais, 'ais etl show details transformer-md5'), 'ais etl show details');
    ok(await sh(ais, 'ais etl view-logs transformer-md5'), 'ais etl view-logs');
  });
  v50('ais etl stop transformer-md5 ; ais etl rm transformer-md5', async (ais) => {
    ok(await sh(ais, 'ais etl stop transformer-md5'), 'ais etl stop');
    ok(await sh(ais, 'ais etl rm transformer-md5'), 'ais etl rm');
  });

  v329('ais etl init code --from-file=io/code.py --runtime=python3.11v2 --comm-type="io://" --name="compute-md5"', async (ais) => {
    // init only: the tutorial's io code iterates bytes as ints (md5.update(int) raises), on a real cluster too
    const o = await sh(ais, 'ais etl init code --from-file=io/code.py --runtime=python3.11v2 --comm-type="io://" --name="compute-md5"');
    ok(o, 'ais etl init code io://');
    assert.equal(o.stdout.trim(), 'compute-md5');
  });

  v50('aisetl build -t docker.io/aistore/md5_server:v1 . ; ais etl init spec --from-file=spec.yaml --name=transformer-md5 --comm-type="hpush://"', async (ais) => {
    const build = await sh(ais, `"${process.execPath}" --import tsx "${join(REPO_ROOT, 'src', 'cli', 'main.ts')}" build -t docker.io/aistore/md5_server:v1 .`);
    ok(build, 'aisetl build');
    const o = await sh(ais, 'ais etl init spec --from-file=spec.yaml --name=transformer-md5 --comm-type="hpush://"');
    ok(o, 'ais etl init spec');
    assert.equal(o.stdout.trim(), 'transformer-md5');
    const t = await sh(ais, 'ais etl object transformer-md5 transform/shard.in -');
    ok(t, 'ais etl object (spec ETL)');
    assert.equal(t.stdout.trim(), MD5_OF_SOME_TEXT);
  });
});
