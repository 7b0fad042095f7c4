// What a container command runs as Python: files, modules, through shells, env and ASGI servers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonTargets, runTargets } from '../../../../../src/engine/local/workers/commandSources';

describe('the Python a command line runs', () => {
  it('python options, -m and -c', () => {
    assert.deepEqual(pythonTargets(['-u', '-W', 'ignore', '-Xdev', 'srv.py', '--port', '80']), [{ file: 'srv.py' }]);
    assert.deepEqual(pythonTargets(['-um', 'pkg.srv']), [{ module: 'pkg.srv' }]);
    assert.deepEqual(pythonTargets(['-c', 'import aistore', 'x.py']), []);
    assert.deepEqual(pythonTargets([]), []);
  });

  it('shells (quoted separators stay inside their command), env, exec, ASGI servers, scripts run by name', () => {
    const sh = ['sh', '-c', `pip install x && exec python -c "import a; b" ; FOO=1 python3 -um pkg.x`];
    assert.deepEqual(runTargets(sh), [{ module: 'pkg.x' }]);
    assert.deepEqual(runTargets(['/usr/bin/env', 'A=1', 'python', '/code/s.py']), [{ file: '/code/s.py' }]);
    assert.deepEqual(runTargets(['gunicorn', '-b', '0.0.0.0:80', 'server:app']), [{ module: 'server' }]);
    assert.deepEqual(runTargets(['/code/server.py', '--port', '80']), [{ file: '/code/server.py', direct: true }]);
    assert.deepEqual(runTargets(['node', 'server.js']), []);
  });
});
