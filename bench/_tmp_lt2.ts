import { call, startFixture, stopFixture } from '../test/unit/engine/local/helpers';
import { request } from 'undici';
(async () => {
  const f = await startFixture();
  await call('POST', f.ep + '/v1/buckets/big', { json: { action: 'create-bck' } });
  let t0 = performance.now();
  for (let i = 0; i < 200; i++) { const r = await request(f.ep + `/v1/objects/big/o${i}`, { method: 'PUT', body: 'x' }); await r.body.dump(); }
  console.log('redirect only', (performance.now() - t0) / 200);
  const tu = f.cluster.targets[0].url;
  t0 = performance.now();
  for (let i = 0; i < 200; i++) { const r = await request(tu + `/v1/objects/big/o${i}`, { method: 'PUT', body: 'x' }); await r.body.dump(); }
  console.log('target put', (performance.now() - t0) / 200);
  t0 = performance.now();
  for (let i = 0; i < 200; i++) { const r = await request(tu + `/v1/objects/big/o${i}`, { method: 'GET' }); await r.body.dump(); }
  console.log('target get', (performance.now() - t0) / 200);
  await stopFixture(f);
})();
