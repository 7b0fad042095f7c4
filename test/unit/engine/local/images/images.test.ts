import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  buildLocalImage,
  hostPathFor,
  hostWorkdir,
  listImages,
  normalizeTag,
  resolveLocalImage,
} from '../../../../../src/engine/local/images';
import { commandForm, parseEnv, readDockerInstructions } from '../../../../../src/engine/etl/dockerfile';
import { tutorialFile } from '../workers/helpers';

function context(t: { after(fn: () => void): void }, files: Record<string, string>): { dir: string; store: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-images-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'ctx');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return { dir, store: path.join(root, 'store') };
}

describe('local image store', () => {
  it('records the tutorial Dockerfile: /code/server.py → <dir>/server.py, ENTRYPOINT, EXPOSE', async (t) => {
    const { dir, store } = context(t, {
      Dockerfile: tutorialFile('Dockerfile'),
      'server.py': tutorialFile('server.py'),
    });
    const img = await buildLocalImage('docker.io/aistore/md5_server:v1', dir, { storeDir: store });
    assert.equal(img.tag, 'aistore/md5_server:v1');
    assert.equal(img.from, 'python:3.8.5-alpine3.11');
    assert.equal(img.workdir, '/code');
    assert.deepEqual(img.entrypoint, ['/code/server.py', '--listen', '0.0.0.0', '--port', '80']);
    assert.deepEqual(img.expose, [80]);
    assert.deepEqual(img.warnings, [], 'RUN mkdir is understood, not warned about');
    assert.equal(hostPathFor(img, '/code/server.py'), path.join(dir, 'server.py'));
    assert.equal(hostPathFor(img, 'server.py'), path.join(dir, 'server.py'), 'relative to WORKDIR');
    assert.equal(hostWorkdir(img), dir);
    // found under every spelling of the name, and listed
    for (const name of [
      'docker.io/aistore/md5_server:v1',
      'aistore/md5_server:v1',
      'index.docker.io/aistore/md5_server:v1',
    ]) {
      assert.equal(resolveLocalImage(name, { storeDir: store })?.dir, dir, name);
    }
    assert.equal(resolveLocalImage('aistore/md5_server:v2', { storeDir: store }), undefined);
    assert.deepEqual(
      listImages(store).map((i) => i.tag),
      ['aistore/md5_server:v1'],
    );
  });

  it('handles COPY of folders and several files, ENV forms, CMD shell form, RUN warnings, ARG substitution', async (t) => {
    const { dir, store } = context(t, {
      Dockerfile: [
        'FROM python:3.11-slim',
        'ARG APP=/srv/app',
        '# comment',
        'WORKDIR $APP',
        'ENV A=1 B="two words"',
        'ENV LEGACY some value',
        'COPY src/ ./src/',
        'COPY a.txt b.txt /data/',
        'RUN pip install -r requirements.txt \\',
        '    && echo done',
        'COPY --chown=1:1 main.py .',
        'CMD python main.py --port 8000',
      ].join('\n'),
      'src/x.py': 'x',
      'a.txt': 'a',
      'b.txt': 'b',
      'main.py': 'print(1)',
    });
    const img = await buildLocalImage('myetl', dir, { storeDir: store });
    assert.equal(img.tag, 'myetl:latest');
    assert.equal(img.workdir, '/srv/app');
    assert.deepEqual(img.env, { A: '1', B: 'two words', LEGACY: 'some value' });
    assert.deepEqual(img.cmd, ['/bin/sh', '-c', 'python main.py --port 8000']);
    assert.equal(hostPathFor(img, '/srv/app/src/x.py'), path.join(dir, 'src', 'x.py'));
    assert.equal(hostPathFor(img, '/data/b.txt'), path.join(dir, 'b.txt'));
    assert.equal(hostPathFor(img, '/srv/app/main.py'), path.join(dir, 'main.py'));
    assert.equal(img.warnings.length, 1);
    assert.match(
      img.warnings[0],
      /^Dockerfile:9: RUN pip install -r requirements.txt && echo done — not executed locally/,
    );
  });

  it('fails clearly: missing Dockerfile, missing COPY source, a source outside the context', async (t) => {
    const { dir, store } = context(t, { 'x.py': '' });
    await assert.rejects(buildLocalImage('a/b:c', dir, { storeDir: store }), /no Dockerfile at .*Dockerfile/);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python\nCOPY server.py /code/\n');
    await assert.rejects(
      buildLocalImage('a/b:c', dir, { storeDir: store }),
      /Dockerfile:2: COPY server.py: file not found in the build context/,
    );
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python\nCOPY ../secret /code/\n');
    await assert.rejects(buildLocalImage('a/b:c', dir, { storeDir: store }), /outside the build context/);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'COPY x.py /code/\n');
    await assert.rejects(buildLocalImage('a/b:c', dir, { storeDir: store }), /has no FROM instruction/);
    assert.equal(resolveLocalImage('a/b:c', { storeDir: store }), undefined, 'nothing recorded for failed builds');
    // what the editor marks as an error, docker build refuses too: so does the local builder, with the same words
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python:3.11\nCOPY x.py\nCMD python x.py\n');
    await assert.rejects(
      buildLocalImage('a/b:c', dir, { storeDir: store }),
      /Dockerfile:2: COPY needs at least a source and a destination/,
    );
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python:3.11\nCOPY x.py /x.py\n  python x.py\n');
    await assert.rejects(
      buildLocalImage('a/b:c', dir, { storeDir: store }),
      /Dockerfile:3: Unknown instruction "PYTHON"/,
    );
  });

  it('parses instructions, env and command forms', () => {
    // the builder reads through the editor's Dockerfile reader (0-based ranges, continuations joined)
    const text = 'from  x\nrun a \\\n  b\n\n# c\ncmd ["a", "b"]';
    const read = readDockerInstructions(text).map((i) => [i.range.start.line, i.keyword, i.args.replace(/\s+/g, ' ')]);
    assert.deepEqual(read, [
      [0, 'FROM', 'x'],
      [1, 'RUN', 'a b'],
      [5, 'CMD', '["a", "b"]'],
    ]);
    assert.deepEqual(parseEnv('K=v K2="a b" K3=\'c d\''), [
      ['K', 'v'],
      ['K2', 'a b'],
      ['K3', 'c d'],
    ]);
    assert.deepEqual(commandForm('["python", "s.py"]'), ['python', 's.py']);
    assert.deepEqual(commandForm('exec python s.py'), ['/bin/sh', '-c', 'exec python s.py']);
    assert.equal(normalizeTag('docker.io/library/python'), 'python:latest');
    assert.equal(normalizeTag('localhost:5000/x/y'), 'localhost:5000/x/y:latest');
    assert.equal(normalizeTag('ghcr.io/a/b:1.0@sha256:abc'), 'ghcr.io/a/b:1.0');
  });
});
