// The target side a server may call back (AIS_TARGET_URL): GET/HEAD of any object path answers the run's input,
// as a target answers `GET ${AIS_TARGET_URL}/<uname>` when it sent no etl_fqn (hpull on 3.x).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTarget {
  url: string;
  close(): Promise<void>;
}

export function startFakeTarget(inputFile: string, etlName = 'local-run'): Promise<FakeTarget> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end('the local run serves only GET/HEAD of the input object');
      return;
    }
    const size = fs.statSync(inputFile).size;
    res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(inputFile).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/v1/etl/_object/${etlName}/localrun`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
