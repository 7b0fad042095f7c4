// A loopback stand-in for an AIS cluster: one proxy, N targets and an "ETL pod" server, answering with the
// shapes of etl-api.md / ais-core-api.md (ErrHTTP JSON, 301/307 redirects, JSON LsoRes with string sizes,
// string counters in xaction snaps…). Reusable by other rooms' tests: `const ais = await FakeAis.start({...})`.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAisOptions {
  /** ais_version, default "3.30.abc123" */
  version?: string;
  /** default "K8s" */
  deployment?: string;
  /** ≤3.22: what=node_status is unknown (400) and only what=status works */
  legacyStatus?: boolean;
  /** how GET /v1/etl answers: 'available' (default), 'not-built' (501), 'no-k8s' (400) */
  etl?: 'available' | 'not-built' | 'no-k8s';
  /** default 2; 0 = the proxy serves objects itself without redirecting */
  targets?: number;
  /** when set, every /v1 request needs "Authorization: Bearer <token>" */
  token?: string;
  /** qryxstats polls before an offline job reports its end (default 2) */
  jobPolls?: number;
  /** header carrying HEAD errors: AIS uses "Hdr-Error"; some docs say "Ais-Error" */
  headErrorHeader?: string;
}

export interface RecordedRequest {
  server: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** request body (bodies over 16 MiB are counted, not kept) */
  body: Buffer;
  bodyBytes: number;
}

export type Transform = (data: Buffer, args: string | undefined) => Buffer;
/** Return true when the request was answered. */
export type Override = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  server: string,
) => boolean | Promise<boolean>;

interface FakeEtl {
  name: string;
  msg: Record<string, unknown>;
  stage: string;
  xid: string;
  comm: string;
}
interface FakeJob {
  id: string;
  kind: string;
  polls: number;
  total: number;
  bytes: number;
  aborted: boolean;
  err: string;
}
interface Generated {
  size: number;
  written: number;
}

const KEEP_LIMIT = 16 * 1024 * 1024;

export class FakeAis {
  readonly requests: RecordedRequest[] = [];
  readonly buckets = new Map<string, Map<string, Buffer>>();
  readonly generated = new Map<string, Generated>();
  readonly etls = new Map<string, FakeEtl>();
  readonly jobs = new Map<string, FakeJob>();
  readonly aborts: unknown[] = [];
  readonly transforms = new Map<string, Transform>();
  private readonly overrides: Override[] = [];
  private servers: { name: string; srv: http.Server; url: string }[] = [];
  private seq = 0;

  private constructor(readonly opts: FakeAisOptions) {}

  static async start(opts: FakeAisOptions = {}): Promise<FakeAis> {
    const f = new FakeAis(opts);
    await f.listen('proxy');
    for (let i = 0; i < (opts.targets ?? 2); i++) await f.listen(`t${i}`);
    await f.listen('etl');
    return f;
  }

  get url(): string {
    return this.servers[0].url;
  }
  get targetUrls(): string[] {
    return this.servers.filter((s) => /^t\d+$/.test(s.name)).map((s) => s.url);
  }
  get etlUrl(): string {
    return this.servers.find((s) => s.name === 'etl')!.url;
  }

  /** First matching override answers instead of the fake. */
  override(fn: Override): void {
    this.overrides.push(fn);
  }

  putObject(bucket: string, name: string, data: Buffer | string): void {
    this.bucket(bucket).set(name, Buffer.from(data));
  }
  /**
   * An object of `size` bytes produced on the fly (byte i = (i mod 65536) mod 251); `generated.get(key).written`
   * tracks the server side.
   */
  putGenerated(bucket: string, name: string, size: number): void {
    this.bucket(bucket);
    this.generated.set(`${bucket}/${name}`, { size, written: 0 });
  }
  bucket(name: string): Map<string, Buffer> {
    let b = this.buckets.get(name);
    if (!b) this.buckets.set(name, (b = new Map()));
    return b;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.srv.close(() => resolve());
            s.srv.closeAllConnections();
          }),
      ),
    );
  }

  private async listen(name: string): Promise<void> {
    const srv = http.createServer(
      (req, res) =>
        void this.handle(name, req, res).catch((e) => {
          if (!res.headersSent) this.err(req, res, 500, String(e));
          else res.destroy();
        }),
    );
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    this.servers.push({ name, srv, url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` });
  }

  private async handle(server: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const o of this.overrides) if (await o(req, res, server)) return;
    const body = await readBody(req);
    this.requests.push({
      server,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: body.kept,
      bodyBytes: body.bytes,
    });
    const u = new URL(req.url ?? '/', 'http://x');
    if (server === 'etl') return this.etlPod(req, res, u);
    if (this.opts.token && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return this.err(req, res, 401, 'invalid token', 'ErrUnauthorized');
    }
    const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1') return this.err(req, res, 400, `invalid URL path ${u.pathname}`);
    const json = parseJson(body.kept);
    switch (parts[1]) {
      case 'daemon':
        return this.daemon(req, res, u);
      case 'health':
        return void res.end();
      case 'etl':
        return this.etl(req, res, parts.slice(2), json);
      case 'buckets':
        return this.bucketsApi(req, res, u, parts.slice(2), json);
      case 'objects':
        return this.objects(server, req, res, u, u.pathname.split('/').slice(3), body.kept);
      case 'cluster':
        return this.clusterApi(req, res, u, json);
    }
    this.err(req, res, 400, `unknown path ${u.pathname}`);
  }

  // ---- cluster ----
  private daemon(req: http.IncomingMessage, res: http.ServerResponse, u: URL): void {
    const what = u.searchParams.get('what');
    const status = {
      ais_version: this.opts.version ?? '3.30.abc123',
      deployment: this.opts.deployment ?? 'K8s',
      build_time: '2026-01-01',
      status: 'online',
    };
    if (what === 'node_status' && !this.opts.legacyStatus) return sendJson(res, status);
    if (what === 'status') return sendJson(res, status);
    if (what === 'smap') return sendJson(res, this.smap());
    this.err(req, res, 400, `invalid GET /daemon request: unrecognized what=${what}`);
  }

  private smap(): unknown {
    const node = (id: string, type: string, url: string): unknown => ({
      daemon_id: id,
      daemon_type: type,
      flags: 0,
      public_net: { node_ip_addr: '127.0.0.1', daemon_port: new URL(url).port, direct_url: url },
      intra_data_net: { node_ip_addr: '127.0.0.1', daemon_port: new URL(url).port, direct_url: url },
    });
    const tmap: Record<string, unknown> = {};
    this.targetUrls.forEach((url, i) => {
      tmap[`t${i}`] = node(`t${i}`, 'target', url);
    });
    const p = node('p0', 'proxy', this.url);
    return { pmap: { p0: p }, tmap, proxy_si: p, uuid: 'fake-uuid', creation_time: '', version: '7' };
  }

  private clusterApi(req: http.IncomingMessage, res: http.ServerResponse, u: URL, json: WireMsg | undefined): void {
    const what = u.searchParams.get('what');
    if (req.method === 'PUT' && json?.action === 'stop') {
      this.aborts.push(json);
      const job = this.jobs.get(json.value?.ID ?? json.value?.id ?? '');
      if (job) job.aborted = true;
      return void res.end();
    }
    const job = this.jobs.get(json?.id ?? json?.ID ?? '');
    if (what === 'qryxstats') return sendJson(res, job ? this.snaps(job) : {});
    if (what === 'status') {
      if (!job) return this.err(req, res, 404, `xaction ${json?.id} not found`, 'ErrNotFound');
      const done = job.polls >= (this.opts.jobPolls ?? 2);
      return sendJson(res, {
        kind: job.kind,
        uuid: job.id,
        err: job.err,
        end_time: done || job.aborted ? Date.now() * 1e6 : 0,
        aborted: job.aborted,
      });
    }
    this.err(req, res, 400, `unrecognized what=${what}`);
  }

  /** Progress grows with each poll; counters are strings, split across targets like the real MultiSnap. */
  private snaps(job: FakeJob): Record<string, unknown[]> {
    job.polls++;
    const need = this.opts.jobPolls ?? 2;
    const done = job.polls >= need || job.aborted;
    const frac = done ? 1 : job.polls / need;
    const n = Math.max(1, this.targetUrls.length);
    const out: Record<string, unknown[]> = {};
    for (let i = 0; i < n; i++) {
      const objs = Math.floor((Math.floor(job.total * frac) + n - 1 - i) / n);
      const bytes = Math.floor((Math.floor(job.bytes * frac) + n - 1 - i) / n);
      out[`t${i}`] = [
        {
          id: job.id,
          kind: job.kind,
          'start-time': '2026-11-25T10:00:00Z',
          'end-time': done ? `2026-11-25T10:0${i}:30Z` : '0001-01-01T00:00:00Z',
          aborted: job.aborted,
          'abort-err': job.aborted ? 'aborted by user' : '',
          err: '',
          is_idle: false,
          'glob.id': '0',
          stats: {
            'loc-objs': String(objs),
            'loc-bytes': String(bytes),
            'out-objs': '0',
            'out-bytes': '0',
            'in-objs': '0',
            'in-bytes': '0',
          },
        },
      ];
    }
    return out;
  }

  // ---- ETL ----
  private etlProbe(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (this.opts.etl === 'not-built') {
      this.err(req, res, 501, 'cannot use ETL in a build without ETL support - operation not supported', 'ErrUnsupp');
      return true;
    }
    if (this.opts.etl === 'no-k8s') {
      this.err(req, res, 400, 'the operation requires Kubernetes');
      return true;
    }
    return false;
  }

  private etl(req: http.IncomingMessage, res: http.ServerResponse, parts: string[], json: WireMsg | undefined): void {
    if (this.etlProbe(req, res)) return;
    const [name, op, tid] = parts;
    if (!name) {
      if (req.method === 'GET')
        return sendJson(
          res,
          [...this.etls.values()].map((e) => this.etlInfo(e)),
        );
      if (req.method === 'PUT') return this.initEtl(req, res, json);
    }
    const e = this.etls.get(name);
    if (!e) return this.err(req, res, 404, `p[p0]: etl job ${name} does not exist`, 'ErrNotFound');
    if (req.method === 'GET' && !op) {
      const modern = this.versionAtLeast(3, 30);
      return sendJson(
        res,
        modern
          ? { init_msg: e.msg, obj_errors: [{ obj_name: 'ais://src/7', msg: 'ETL error: boom', ecode: 500 }] }
          : e.msg,
      );
    }
    if (req.method === 'POST' && op === 'stop') {
      e.stage = this.versionAtLeast(3, 30) ? 'Aborted' : 'Stopped';
      return void res.end();
    }
    if (req.method === 'POST' && op === 'start') {
      e.stage = 'Running';
      e.xid = `etl-${++this.seq}`;
      return void res.end(e.xid);
    }
    if (req.method === 'DELETE' && !op) {
      this.etls.delete(name);
      return void res.end();
    }
    const targets = this.targetUrls.map((_, i) => `t${i}`);
    if (op === 'logs') {
      const ids = tid ? [tid] : targets;
      return sendJson(
        res,
        ids.map((t) => ({ target_id: t, logs: Buffer.from(`log of ${name} on ${t}\n`).toString('base64') })),
      );
    }
    if (op === 'health')
      return sendJson(
        res,
        targets.map((t) => ({ target_id: t, health_status: 'Running' })),
      );
    if (op === 'metrics')
      return sendJson(
        res,
        targets.map((t) => ({ target_id: t, cpu: 0.01, mem: 1024 })),
      );
    this.err(req, res, 400, 'invalid request');
  }

  private initEtl(req: http.IncomingMessage, res: http.ServerResponse, msg: WireMsg | undefined): void {
    const name = msg?.name ?? msg?.id;
    if (!msg || typeof name !== 'string' || !name) return this.err(req, res, 400, 'invalid etl.InitMsg: missing name');
    if (this.etls.has(name)) return this.err(req, res, 409, `p[p0]: etl job ${name} already exists`);
    const xid = `etl-${++this.seq}`;
    this.etls.set(name, {
      name,
      msg,
      stage: 'Running',
      xid,
      comm: msg.communication ?? msg.communication_type ?? 'hpush://',
    });
    res.end(xid);
  }

  private etlInfo(e: FakeEtl): Record<string, unknown> {
    const info: Record<string, unknown> = { id: e.name, xaction_id: e.xid, obj_count: 0, in_bytes: 0, out_bytes: 0 };
    if (this.versionAtLeast(3, 28)) info.stage = e.stage;
    return info;
  }

  private versionAtLeast(major: number, minor: number): boolean {
    const [ma, mi] = (this.opts.version ?? '3.30').split('.').map(Number);
    return ma > major || (ma === major && mi >= minor);
  }

  private transform(name: string, data: Buffer, args: string | undefined): Buffer {
    const fn = this.transforms.get(name) ?? ((d: Buffer) => Buffer.from(d.toString('latin1').toUpperCase(), 'latin1'));
    return fn(data, args);
  }

  /** hpull: the "pod" answers GET /<escaped uname>?etl_args=… */
  private etlPod(req: http.IncomingMessage, res: http.ServerResponse, u: URL): void {
    const m = /^ais\/@#\/([^/]+)\/(.+)$/.exec(decodeURIComponent(u.pathname.slice(1)));
    const etl = u.searchParams.get('etl') ?? '';
    const data = m ? this.buckets.get(m[1])?.get(m[2]) : undefined;
    if (!data) {
      res.statusCode = 404;
      return void res.end('{"detail":"not found"}');
    }
    res.end(this.transform(etl, data, u.searchParams.get('etl_args') ?? undefined));
  }

  // ---- buckets ----
  private bucketsApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    u: URL,
    parts: string[],
    json: WireMsg | undefined,
  ): void {
    const [name] = parts;
    if (!name && req.method === 'GET')
      return sendJson(
        res,
        [...this.buckets.keys()].map((b) => ({ name: b, provider: 'ais', namespace: { uuid: '', name: '' } })),
      );
    if (req.method === 'POST' && json?.action === 'create-bck') {
      if (this.buckets.has(name))
        return this.err(req, res, 409, `bucket "ais://${name}" already exists`, 'ErrBucketAlreadyExists');
      this.bucket(name);
      return void res.end();
    }
    if (!this.buckets.has(name))
      return this.err(req, res, 404, `bucket "ais://${name}" does not exist`, 'ErrBckNotFound');
    if (req.method === 'DELETE') {
      this.buckets.delete(name);
      return void res.end();
    }
    if (req.method === 'HEAD') {
      res.setHeader('Ais-Bucket-Props', '{"provider":"ais"}');
      return void res.end();
    }
    if (req.method === 'GET' && json?.action === 'list') return this.listObjects(res, name, json.value ?? {});
    if (req.method === 'POST' && (json?.action === 'etl-bck' || json?.action === 'etl-listrange'))
      return this.startJob(req, res, name, u, json);
    this.err(req, res, 400, 'invalid bucket request');
  }

  private listObjects(res: http.ServerResponse, bucket: string, msg: WireMsg): void {
    const prefix: string = msg.prefix ?? '';
    const pageSize = Math.min(Number(msg.pagesize) || 10000, 10000);
    const flags = BigInt(msg.flags ?? '0');
    const noRec = (flags & (1n << 11n)) !== 0n;
    const sizes = new Map<string, number>();
    for (const [k, v] of this.bucket(bucket)) sizes.set(k, v.length);
    for (const [k, g] of this.generated) if (k.startsWith(`${bucket}/`)) sizes.set(k.slice(bucket.length + 1), g.size);
    let names = [...sizes.keys()].filter((n) => n.startsWith(prefix));
    const dirs = new Set<string>();
    if (noRec) {
      names = names.filter((n) => {
        const i = n.indexOf('/', prefix.length);
        if (i >= 0) dirs.add(n.slice(0, i + 1));
        return i < 0;
      });
    }
    const all = [
      ...names.map((n) => ({
        name: n,
        size: String(sizes.get(n)),
        checksum: 'abc',
        atime: '25 Nov 26 10:00 UTC',
        flags: 64,
      })),
      ...[...dirs].map((d) => ({ name: d, flags: 1 << 8 })),
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
    const after: string = msg.continuation_token ?? '';
    const rest = after ? all.filter((e) => e.name > after) : all;
    const page = rest.slice(0, pageSize);
    const token = rest.length > pageSize ? page[page.length - 1].name : '';
    sendJson(res, { uuid: msg.uuid || `lso-${++this.seq}`, continuation_token: token, entries: page, flags: 0 });
  }

  private startJob(req: http.IncomingMessage, res: http.ServerResponse, src: string, u: URL, json: WireMsg): void {
    const etl = json.value?.id ?? '';
    if (!this.etls.has(etl)) return this.err(req, res, 404, `etl job ${etl} does not exist`, 'ErrNotFound');
    if (json.action === 'etl-bck' && !u.searchParams.get('bck_to')) return this.err(req, res, 400, 'missing bck_to');
    const objs = [...this.bucket(src).entries()].filter(([n]) => n.startsWith(json.value?.prefix ?? ''));
    const id = `job-${++this.seq}`;
    this.jobs.set(id, {
      id,
      kind: json.action ?? '',
      polls: 0,
      total: objs.length,
      bytes: objs.reduce((a, [, d]) => a + d.length, 0),
      aborted: false,
      err: '',
    });
    res.end(id);
  }

  // ---- objects ----
  private objects(
    server: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    u: URL,
    rawParts: string[],
    body: Buffer,
  ): void {
    const bucket = decodeURIComponent(rawParts[0] ?? '');
    const name = rawParts.slice(1).map(decodeURIComponent).join('/');
    const targets = this.targetUrls;
    if (server === 'proxy' && targets.length > 0) {
      const t = targets[hashIndex(`${bucket}/${name}`, targets.length)];
      const loc = new URL(u.pathname + u.search, t);
      loc.searchParams.set('pid', 'p0');
      res.writeHead(req.method === 'GET' ? 301 : 307, { Location: loc.toString() });
      return void res.end();
    }
    const etl = u.searchParams.get('etl_name');
    if (etl && !this.etls.has(etl))
      return this.err(
        req,
        res,
        404,
        `t[t0]: ${etl} does not exist - try starting new ETL with "/v1/etl/init" endpoint`,
      );
    const key = `${bucket}/${name}`;
    const stored = this.buckets.get(bucket)?.get(name);
    switch (req.method) {
      case 'GET': {
        if (!this.buckets.has(bucket))
          return this.err(req, res, 404, `bucket "ais://${bucket}" does not exist`, 'ErrBckNotFound');
        const gen = this.generated.get(key);
        if (gen) return this.streamGenerated(res, gen);
        if (!stored) return this.err(req, res, 404, `t[t0]: ais://${bucket}/${name} does not exist`, 'ErrNotFound');
        if (etl) return this.inline(res, etl, u, bucket, name, stored);
        return this.serveRange(req, res, stored);
      }
      case 'HEAD':
        if (!stored) return this.err(req, res, 404, `t[t0]: ais://${bucket}/${name} does not exist`, 'ErrNotFound');
        return headObject(res, stored);
      case 'PUT':
        return this.putObjectRequest(req, res, u, bucket, name, body, stored);
      case 'DELETE':
        if (!stored) return this.err(req, res, 404, `t[t0]: ais://${bucket}/${name} does not exist`, 'ErrNotFound');
        this.bucket(bucket).delete(name);
        return void res.end();
    }
    this.err(req, res, 405, 'method not allowed');
  }

  /** PUT an object, or with `object_to` copy (and transform, with `etl_name`) it into another bucket. */
  private putObjectRequest(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    u: URL,
    bucket: string,
    name: string,
    body: Buffer,
    stored: Buffer | undefined,
  ): void {
    const etl = u.searchParams.get('etl_name');
    const to = u.searchParams.get('object_to');
    if (to) {
      const m = /^ais\/@#\/([^/]+)\/(.+)$/.exec(to);
      if (!m || !stored) return this.err(req, res, 404, `ais://${bucket}/${name} does not exist`, 'ErrNotFound');
      const args = u.searchParams.get('etl_args') ?? undefined;
      this.bucket(m[1]).set(m[2], etl ? this.transform(etl, stored, args) : stored);
      return void res.end();
    }
    if (!this.buckets.has(bucket))
      return this.err(req, res, 404, `bucket "ais://${bucket}" does not exist`, 'ErrBckNotFound');
    this.bucket(bucket).set(name, body);
    res.end();
  }

  private inline(res: http.ServerResponse, etl: string, u: URL, bucket: string, name: string, data: Buffer): void {
    const e = this.etls.get(etl)!;
    const args = u.searchParams.get('etl_args') ?? undefined;
    if (e.comm === 'hpull://') {
      const loc = new URL(`/${encodeURIComponent(`ais/@#/${bucket}/${name}`)}`, this.etlUrl);
      loc.searchParams.set('etl', etl);
      if (args !== undefined) loc.searchParams.set('etl_args', args);
      res.writeHead(307, { Location: loc.toString() });
      return void res.end();
    }
    let out = this.transform(etl, data, args);
    for (const next of (u.searchParams.get('etl_pipeline') ?? '').split(',').filter(Boolean))
      out = this.transform(next, out, args);
    res.end(out);
  }

  private serveRange(req: http.IncomingMessage, res: http.ServerResponse, data: Buffer): void {
    const m = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (!m) {
      res.writeHead(200, { 'Content-Length': data.length, 'Accept-Ranges': 'bytes' });
      return void res.end(data);
    }
    const start = Number(m[1]);
    const end = m[2] ? Math.min(Number(m[2]), data.length - 1) : data.length - 1;
    res.writeHead(206, { 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${data.length}` });
    res.end(data.subarray(start, end + 1));
  }

  /** Writes only as fast as the client reads (honours backpressure), so `written` shows what the client pulled. */
  private streamGenerated(res: http.ServerResponse, g: Generated): void {
    res.writeHead(200, { 'Content-Length': g.size });
    const chunk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = i % 251;
    const pump = (): void => {
      while (g.written < g.size) {
        const n = Math.min(chunk.length, g.size - g.written);
        g.written += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  }

  private err(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    message: string,
    tcode?: string,
  ): void {
    const body = JSON.stringify({
      ...(tcode ? { tcode } : {}),
      message,
      method: req.method,
      url_path: req.url,
      remote_addr: '127.0.0.1',
      caller: '',
      node: 'p[p0]',
      status,
    });
    if (req.method === 'HEAD') {
      res.writeHead(status, { [this.opts.headErrorHeader ?? 'Hdr-Error']: body });
      return void res.end();
    }
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}

export function hashIndex(s: string, n: number): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % n;
}

export const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function sendJson(res: http.ServerResponse, v: unknown): void {
  const body = JSON.stringify(v);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: http.IncomingMessage): Promise<{ kept: Buffer; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const c of req) {
    bytes += (c as Buffer).length;
    if (bytes <= KEEP_LIMIT) chunks.push(c as Buffer);
  }
  return { kept: Buffer.concat(chunks), bytes };
}

/** The fields of request bodies the fake reads: ActionMsg, job query, ETL init message, list options. */
interface WireMsg {
  action?: string;
  id?: string;
  ID?: string;
  name?: string;
  value?: WireMsg;
  communication?: string;
  communication_type?: string;
  prefix?: string;
  pagesize?: number | string;
  flags?: string;
  continuation_token?: string;
  uuid?: string;
  [key: string]: unknown;
}

function headObject(res: http.ServerResponse, stored: Buffer): void {
  res.writeHead(200, {
    'Content-Length': stored.length,
    'Ais-Checksum-Type': 'md5',
    'Ais-Checksum-Value': md5(stored),
    'Ais-Atime': '1764064800000000000',
    'Ais-Version': '1',
    'Ais-Present': 'true',
    'Ais-Custom-Md': 'source=test,owner=me',
  });
  res.end();
}

function parseJson(b: Buffer): WireMsg | undefined {
  if (!b.length) return undefined;
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
}
