"""Server side of RFC 6455, just what the AIS ws:// contract needs (§7.5): handshake, (fragmented) binary/text
messages, ping/pong, close. Client frames are masked; ours are not."""
import base64
import hashlib
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
MAX_MESSAGE = 16 << 30  # same ceiling as the AIS target (maxMsgSize)


class WsClosed(Exception):
    pass


def accept_key(key):
    return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()


def handshake_response(key):
    return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n").encode()


def _read_exact(rfile, n):
    buf = rfile.read(n)
    if buf is None or len(buf) < n:
        raise WsClosed()
    return buf


def _unmask(payload, mask):
    if not payload or mask == b"\0\0\0\0":  # aisetl's own client masks with zeros (loopback, nothing to protect)
        return payload
    # XOR with the 4-byte key repeated, done on big integers: fast without numpy.
    n = len(payload)
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(key, "little")).to_bytes(n, "little")


class WsConnection:
    def __init__(self, rfile, sock):
        self.rfile = rfile
        self.sock = sock

    def _read_frame(self):
        b1, b2 = _read_exact(self.rfile, 2)
        fin, opcode = b1 & 0x80, b1 & 0x0F
        masked, length = b2 & 0x80, b2 & 0x7F
        if length == 126:
            (length,) = struct.unpack(">H", _read_exact(self.rfile, 2))
        elif length == 127:
            (length,) = struct.unpack(">Q", _read_exact(self.rfile, 8))
        if length > MAX_MESSAGE:
            raise WsClosed()
        mask = _read_exact(self.rfile, 4) if masked else None
        payload = _read_exact(self.rfile, length) if length else b""
        if mask:
            payload = _unmask(payload, mask)
        return bool(fin), opcode, payload

    def read_message(self):
        """Next text/binary message as (opcode, bytes); None when the peer closed."""
        parts, first_op = [], None
        try:
            while True:
                fin, opcode, payload = self._read_frame()
                if opcode == OP_PING:
                    self.send(OP_PONG, payload)
                    continue
                if opcode == OP_PONG:
                    continue
                if opcode == OP_CLOSE:
                    try:
                        self.send(OP_CLOSE, payload[:2])
                    except OSError:
                        pass
                    return None
                if opcode != OP_CONT:
                    first_op = opcode
                parts.append(payload)
                if fin:
                    return first_op, b"".join(parts)
        except (WsClosed, OSError):
            return None

    def send(self, opcode, payload):
        n = len(payload)
        if n < 126:
            header = struct.pack(">BB", 0x80 | opcode, n)
        elif n < 1 << 16:
            header = struct.pack(">BBH", 0x80 | opcode, 126, n)
        else:
            header = struct.pack(">BBQ", 0x80 | opcode, 127, n)
        if n < 1 << 16:
            self.sock.sendall(header + payload)  # one segment for small replies
        else:
            self.sock.sendall(header)
            self.sock.sendall(payload)
