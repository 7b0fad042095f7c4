import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, parseEtlFile } from '../../../../src/engine/etl';
import { only, tutorial } from './helpers';

describe('Dockerfile', () => {
  it('parses the tutorial Dockerfile', () => {
    const { info, diagnostics } = parseDockerfile(tutorial('Dockerfile'));
    assert.equal(info.from?.image, 'python:3.8.5-alpine3.11');
    assert.equal(info.workdir, '/code');
    assert.deepEqual(
      info.copies.map(({ sources, dest }) => ({ sources, dest })),
      [{ sources: ['server.py'], dest: 'server.py' }],
    );
    assert.deepEqual(
      info.expose.map((e) => e.port),
      [80],
    );
    assert.deepEqual(info.entrypoint?.args, ['/code/server.py', '--listen', '0.0.0.0', '--port', '80']);
    assert.equal(info.entrypoint?.form, 'exec');
    assert.equal(info.entrypoint?.range.start.line, 8);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['dockerfile-script-entrypoint'],
    );
  });

  it('parseEtlFile gives kind dockerfile and no definitions', () => {
    const r = parseEtlFile('Dockerfile', tutorial('Dockerfile'));
    assert.equal(r.kind, 'dockerfile');
    assert.deepEqual(r.definitions, []);
  });

  it('joins continuation lines and skips comments and heredocs', () => {
    const text =
      '# syntax=docker/dockerfile:1\nFROM python:3.11-slim\nRUN pip install \\\n    # a comment inside\n    fastapi \\\n    uvicorn\nRUN <<EOF\necho hi\nEOF\nCMD ["uvicorn", "app:app", \\\n     "--port", "8000"]\nEXPOSE 8000/tcp\n';
    const { info, diagnostics } = parseDockerfile(text);
    assert.deepEqual(
      info.instructions.map((i) => i.keyword),
      ['FROM', 'RUN', 'RUN', 'CMD', 'EXPOSE'],
    );
    assert.deepEqual(info.cmd?.args, ['uvicorn', 'app:app', '--port', '8000']);
    assert.deepEqual(diagnostics, []);
  });

  it('reports problems at their lines', () => {
    const text =
      "RUN echo\nFROM alpine\nCOPY onlyone\nENTRYPOINT ['python', 'server.py']\nEXPOSE 80 8080\nFROBNICATE x\n";
    const { info, diagnostics } = parseDockerfile(text);
    assert.equal(only(diagnostics, 'dockerfile-from-first').range.start.line, 0);
    assert.equal(only(diagnostics, 'dockerfile-untagged-base').range.start.line, 1);
    assert.equal(only(diagnostics, 'dockerfile-copy-args').range.start.line, 2);
    assert.equal(only(diagnostics, 'dockerfile-exec-form').range.start.line, 3);
    assert.equal(info.entrypoint?.form, 'shell');
    assert.equal(only(diagnostics, 'dockerfile-multiple-ports').severity, 'warning');
    assert.equal(only(diagnostics, 'dockerfile-unknown-instruction').range.start.line, 5);
  });

  it('no FROM, no ENTRYPOINT/CMD, and port mismatches are reported', () => {
    assert.equal(only(parseDockerfile('RUN echo\n').diagnostics, 'dockerfile-no-from').severity, 'error');
    assert.equal(
      only(parseDockerfile('FROM alpine:3\nRUN echo\n').diagnostics, 'dockerfile-no-entrypoint').severity,
      'warning',
    );
    const mismatch = parseDockerfile(
      'FROM python:3.11\nEXPOSE 80\nENTRYPOINT ["python", "-m", "srv"]\nCMD ["--port", "8000"]\n',
    ).diagnostics;
    assert.match(only(mismatch, 'dockerfile-port-mismatch').message, /EXPOSE 80 differs .* \(8000\)/);
  });
});
