"""Loaded by Python at start-up (PYTHONPATH) for container-style workers: a server that binds the container port
(e.g. a fixed 8000 inside a base64'd script where the command line cannot be rewritten) gets the free local port
the local cluster chose instead, and a wildcard address becomes loopback. AISETL_PORT_MAP="<container>:<local>"."""
import os
import socket

_spec = os.environ.get("AISETL_PORT_MAP", "")
if _spec:
    _from, _to = (int(x) for x in _spec.split(":", 1))
    _orig_bind = socket.socket.bind

    def _aisetl_bind(self, address):
        if isinstance(address, tuple) and len(address) >= 2 and address[1] == _from:
            host = address[0]
            if host in ("", "0.0.0.0"):
                host = "127.0.0.1"
            elif host == "::":
                host = "::1"
            address = (host, _to) + tuple(address[2:])
        return _orig_bind(self, address)

    socket.socket.bind = _aisetl_bind
