"""The fast path for offline jobs: length-prefixed frames on two inherited pipes (not HTTP, not stdout, which the
user's prints may use).

Request  (Node -> worker): u32 id | u8 kind | u32 args_len | u32 payload_len | args | payload
          kind 1: payload = local file path (utf-8); kind 2: payload = object bytes
Response (worker -> Node): u32 id | u8 status | u64 len | body
          status 0: transformed bytes; 1: error text (traceback); 2: hello (JSON); 3: obj_timeout (then we exit)

The worker processes frames in order and writes results without waiting for Node; it flushes when it has no
more input to work on, so Node's pipelining keeps it busy and small results are written in large batches.
"""
import os
import select
import struct
import sys
import threading
import time
import traceback

REQ_HEADER = struct.Struct(">IBII")
RESP_HEADER = struct.Struct(">IBQ")
KIND_FQN, KIND_BYTES = 1, 2
ST_OK, ST_ERROR, ST_HELLO, ST_TIMEOUT = 0, 1, 2, 3
FLUSH_BYTES = 1 << 20
TIMEOUT_EXIT_CODE = 75


class BatchOutput:
    def __init__(self, fd):
        self.fd = fd
        self.lock = threading.Lock()
        self.pending = []
        self.pending_bytes = 0

    def put(self, obj_id, status, body, flush=False):
        with self.lock:
            self.pending.append(RESP_HEADER.pack(obj_id, status, len(body)))
            self.pending.append(body)
            self.pending_bytes += len(body) + RESP_HEADER.size
            if flush or self.pending_bytes >= FLUSH_BYTES:
                self._flush_locked()

    def flush(self):
        with self.lock:
            self._flush_locked()

    def _flush_locked(self):
        if not self.pending:
            return
        data = memoryview(b"".join(self.pending))
        self.pending, self.pending_bytes = [], 0
        while data:
            n = os.write(self.fd, data)
            data = data[n:]


class BatchInput:
    def __init__(self, fd):
        self.fd = fd
        self.buf = bytearray()

    def _fill(self):
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            raise EOFError()
        self.buf += chunk

    def has_frame(self):
        if len(self.buf) >= REQ_HEADER.size:
            _, _, a, p = REQ_HEADER.unpack_from(self.buf)
            if len(self.buf) >= REQ_HEADER.size + a + p:
                return True
        return bool(select.select([self.fd], [], [], 0)[0])

    def next_frame(self):
        while len(self.buf) < REQ_HEADER.size:
            self._fill()
        obj_id, kind, args_len, payload_len = REQ_HEADER.unpack_from(self.buf)
        end = REQ_HEADER.size + args_len + payload_len
        while len(self.buf) < end:
            self._fill()
        args = bytes(self.buf[REQ_HEADER.size:REQ_HEADER.size + args_len]).decode() if args_len else None
        payload = bytes(self.buf[REQ_HEADER.size + args_len:end])
        del self.buf[:end]
        return obj_id, kind, args, payload


class Watchdog:
    """A hung transform cannot be interrupted in Python: report the timeout and exit, Node restarts us."""

    def __init__(self, out, timeout_s):
        self.out, self.timeout_s = out, timeout_s
        self.current = None  # (id, started)
        if timeout_s > 0:
            threading.Thread(target=self._run, daemon=True, name="aisetl-batch-watchdog").start()

    def _run(self):
        while True:
            time.sleep(min(0.1, self.timeout_s / 4))
            cur = self.current
            if cur is not None and time.monotonic() - cur[1] > self.timeout_s:
                msg = f"transform did not finish within obj_timeout ({self.timeout_s:g}s)".encode()
                self.out.put(cur[0], ST_TIMEOUT, msg, flush=True)
                sys.stderr.write(f"aisetl: {msg.decode()}; exiting so that the worker is restarted\n")
                sys.stderr.flush()
                os._exit(TIMEOUT_EXIT_CODE)


def serve(in_fd, out, transformer, obj_timeout_s):
    inp = BatchInput(in_fd)
    watchdog = Watchdog(out, obj_timeout_s)
    while True:
        try:
            obj_id, kind, args, payload = inp.next_frame()
        except EOFError:
            out.flush()
            return
        watchdog.current = (obj_id, time.monotonic())
        try:
            if kind == KIND_FQN:
                with open(payload.decode(), "rb") as f:
                    data = f.read()
            else:
                data = payload
            out.put(obj_id, ST_OK, transformer(data, args))
        except Exception:  # the user's code may raise anything: report it for this object, keep going
            out.put(obj_id, ST_ERROR, traceback.format_exc().encode())
        watchdog.current = None
        if not inp.has_frame():
            out.flush()
