import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { serverCommand } from '../../../../src/engine/run/serverCommand';
import { buildRequest, passesFqn, splitObjectName } from '../../../../src/engine/run/serverRequest';
import { TUTORIAL } from './helpers';

test('AIS 4.0+ passes etl_fqn with an empty body, 3.x sends the bytes', () => {
  assert.equal(passesFqn(undefined), true);
  assert.equal(passesFqn('5.0'), true);
  assert.equal(passesFqn('4.1'), true);
  assert.equal(passesFqn('3.29'), false);
  const cmd = serverCommand(path.join(TUTORIAL, 'server.py'), 'python3', 41234);
  const facts = { cmd, inputFile: '/tmp/x/object', size: 13 };
  const v5 = buildRequest({
    ...facts,
    req: { file: '', input: Buffer.alloc(0), objectName: 'transform/shard.in', etlArgs: 'a=1' },
  });
  assert.deepEqual(v5, {
    method: 'PUT',
    path: '/transform/shard.in?etl_fqn=%252Ftmp%252Fx%252Fobject&etl_args=a%3D1', // url.PathEscape, then the query
    headers: { 'content-type': 'application/octet-stream', 'content-length': '0' },
  });
  const v3 = buildRequest({
    ...facts,
    req: { file: '', input: Buffer.alloc(0), objectName: 'transform/shard.in', aisVersion: '3.29' },
  });
  assert.equal(v3.path, '/transform/shard.in');
  assert.equal(v3.headers['content-length'], '13');
  assert.equal(v3.bodyFile, '/tmp/x/object');
});

test('hpull sends GET of the escaped uname', () => {
  const cmd = { ...serverCommand(path.join(TUTORIAL, 'server.py'), 'python3', 41234), commType: 'hpull://' as const };
  const r = buildRequest({
    cmd,
    inputFile: '/o',
    size: 1,
    req: { file: '', input: Buffer.alloc(0), objectName: 'b/d/o.txt' },
  });
  assert.equal(r.method, 'GET');
  assert.equal(r.path, '/ais%2F@%23%2Fb%2Fd%2Fo.txt?etl_fqn=%252Fo');
  assert.deepEqual(splitObjectName('only'), { bucket: 'local', obj: 'only' });
});

test('the tutorial Pod spec runs server.py next to it on a free port, listening on loopback', () => {
  const cmd = serverCommand(path.join(TUTORIAL, 'spec.yaml'), 'python3', 41234);
  assert.equal(cmd.script, path.join(TUTORIAL, 'server.py'));
  assert.deepEqual(cmd.args, ['--listen', '127.0.0.1', '--port', '41234']);
  assert.equal(cmd.containerPort, 80);
  assert.throws(() => serverCommand(path.join(TUTORIAL, 'Dockerfile'), 'python3', 1), /not a Pod or runtime spec/);
});
