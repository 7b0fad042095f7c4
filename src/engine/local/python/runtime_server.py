"""aisetl's Python ETL runtime: the local twin of the aistorage/runtime_python:<X.Y>v2 image (etl-api.md §5.3, §7).

  PUT|POST /<bck>/<obj>[?etl_args=&etl_fqn=]   hpush: body (or the file at etl_fqn) -> transform -> result
  GET /<escaped uname>[?etl_fqn=&etl_args=]     hpull: GET ${AIS_TARGET_URL}/<uname> (or read etl_fqn) -> transform
  GET /ws (Upgrade: websocket)                  ws: binary ctrl JSON frame [+ data frame] -> binary result
  GET /health                                   "Running"
  header Ais-Node-Url                           direct put of the result to the first URL, answer 204
  fds AISETL_BATCH_IN_FD/OUT_FD                 framed fast path for offline jobs (aisetl_batch.py)

Errors in the user's code answer 500 with the Python traceback as the body. Stdlib only.
Config (env): AISETL_CODE_FILE, AISETL_FUNCTION, AISETL_CHUNK_SIZE, AISETL_OBJ_TIMEOUT_MS, AISETL_HOST, AISETL_PORT.
"""
import json
import os
import socket
import sys
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import aisetl_batch  # noqa: E402
import aisetl_transform  # noqa: E402
import aisetl_upstream  # noqa: E402
import aisetl_websocket as ws  # noqa: E402

TRANSFORM = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server_version = "aisetl-runtime/1"

    def setup(self):
        super().setup()
        # Without this, headers and body written separately stall on delayed ACKs (~40 ms per object).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # per-request access logs would flood the ETL log
        pass

    # ---- plumbing

    def _reply(self, status, body=b"", headers=None, content_type="application/octet-stream"):
        lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}",
                 f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + body if len(body) < 65536 else head)
        if len(body) >= 65536:
            self.wfile.write(body)

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _split(self):
        path, _, query = self.path.partition("?")
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        return path, {k: v[0] for k, v in params.items()}

    def _answer(self, produce, q, own_path):
        """Run the transform and reply (directly or via direct put); user errors -> 500 + traceback."""
        try:
            data = produce()
        except aisetl_upstream.UpstreamError as e:
            return self._reply(e.status, e.body, content_type="text/plain")
        except FileNotFoundError as e:
            return self._reply(404, f"object file not found: {e.filename}".encode(), content_type="text/plain")
        try:
            out = TRANSFORM(data, q.get("etl_args"))
        except Exception:
            return self._reply(500, traceback.format_exc().encode(), content_type="text/plain")
        node_urls = [u.strip() for u in self.headers.get("Ais-Node-Url", "").split(",") if u.strip()]
        if node_urls:
            status, headers, body = aisetl_upstream.direct_put(node_urls, own_path, out, q.get("etl_args"))
            return self._reply(status, body, headers)
        self._reply(200, out)

    # ---- methods

    def do_PUT(self):
        path, q = self._split()
        body = self._read_body()  # always drain, even when etl_fqn makes it irrelevant

        def produce():
            return aisetl_transform.read_fqn(q["etl_fqn"]) if q.get("etl_fqn") else body
        self._answer(produce, q, path)

    do_POST = do_PUT

    def do_GET(self):
        path, q = self._split()
        if path == "/health":
            return self._reply(200, b"Running", content_type="text/plain")
        if path == "/ws" and self.headers.get("Upgrade", "").lower() == "websocket":
            return self._serve_ws()

        def produce():
            if q.get("etl_fqn"):
                return aisetl_transform.read_fqn(q["etl_fqn"])
            return aisetl_upstream.fetch_source(path)
        self._answer(produce, q, path)

    # ---- ws://

    def _serve_ws(self):
        key = self.headers.get("Sec-WebSocket-Key")
        if not key:
            return self._reply(400, b"missing Sec-WebSocket-Key", content_type="text/plain")
        self.wfile.write(ws.handshake_response(key))
        self.wfile.flush()
        self.close_connection = True
        conn = ws.WsConnection(self.rfile, self.connection)
        while True:
            msg = conn.read_message()
            if msg is None:
                return
            try:
                ctrl = json.loads(msg[1] or b"{}")
            except ValueError:
                conn.send(ws.OP_TEXT, json.dumps({"status": 400, "error": "ctrl frame is not JSON"}).encode())
                continue
            if ctrl.get("fqn"):
                try:
                    data = aisetl_transform.read_fqn(ctrl["fqn"])
                except OSError as e:
                    conn.send(ws.OP_TEXT, json.dumps({"status": 404, "error": str(e)}).encode())
                    continue
            else:
                nxt = conn.read_message()
                if nxt is None:
                    return
                data = nxt[1]
            self._ws_one(conn, ctrl, data)

    def _ws_one(self, conn, ctrl, data):
        try:
            out = TRANSFORM(data, ctrl.get("etl_args"))
        except Exception:
            # AIS treats any text frame as success; our Node client reads this JSON as an error.
            return conn.send(ws.OP_TEXT, json.dumps({"status": 500, "error": traceback.format_exc()}).encode())
        pipeline = [u.strip() for u in (ctrl.get("pipeline") or "").split(",") if u.strip()]
        if not pipeline:
            return conn.send(ws.OP_BINARY, out)
        own_path = "/" + urllib.parse.quote(ctrl.get("path", ""), safe="")
        status, _, body = aisetl_upstream.direct_put(pipeline, own_path, out, ctrl.get("etl_args"))
        if status == 204:
            conn.send(ws.OP_TEXT, str(len(out)).encode())
        elif status < 400:
            conn.send(ws.OP_BINARY, body)
        else:
            conn.send(ws.OP_TEXT, json.dumps({"status": status, "error": body.decode(errors="replace")}).encode())


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def main():
    global TRANSFORM
    code_file = os.environ["AISETL_CODE_FILE"]
    try:
        fn = aisetl_transform.load_function(code_file, os.environ.get("AISETL_FUNCTION", "transform"))
    except aisetl_transform.UserCodeError as e:
        sys.stderr.write(f"aisetl-runtime: {e}\n")
        sys.exit(3)
    except BaseException:
        sys.stderr.write(f"aisetl-runtime: loading {code_file} failed:\n{traceback.format_exc()}")
        sys.exit(3)
    TRANSFORM = aisetl_transform.Transformer(fn, int(os.environ.get("AISETL_CHUNK_SIZE") or 0))

    server = Server((os.environ.get("AISETL_HOST", "127.0.0.1"), int(os.environ.get("AISETL_PORT") or 0)), Handler)
    port = server.server_address[1]
    sys.stderr.write(f"aisetl-runtime: python {sys.version.split()[0]} listening on port {port}\n")
    sys.stderr.flush()

    in_fd, out_fd = os.environ.get("AISETL_BATCH_IN_FD"), os.environ.get("AISETL_BATCH_OUT_FD")
    if in_fd and out_fd:
        out = aisetl_batch.BatchOutput(int(out_fd))
        out.put(0, aisetl_batch.ST_HELLO, json.dumps({"port": port, "python": sys.version.split()[0]}).encode(),
                flush=True)
        timeout_s = int(os.environ.get("AISETL_OBJ_TIMEOUT_MS") or 0) / 1000

        def batch_loop():
            aisetl_batch.serve(int(in_fd), out, TRANSFORM, timeout_s)
            os._exit(0)  # Node closed the channel: it is done with us

        import threading
        threading.Thread(target=batch_loop, daemon=True, name="aisetl-batch").start()
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
