"""HTTP calls the worker makes itself: fetching the source object from its target (hpull) and direct put (§7.4).

Keep-alive connections are kept per thread (http.client connections are not thread-safe).
"""
import http.client
import os
import socket
import threading
import urllib.parse

_local = threading.local()


class UpstreamError(Exception):
    def __init__(self, status, body):
        super().__init__(f"{status}: {body[:200]!r}")
        self.status = status
        self.body = body


def _connection(scheme, netloc):
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    key = (scheme, netloc)
    conn = pool.get(key)
    if conn is None:
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = cls(netloc, timeout=float(os.environ.get("AISETL_UPSTREAM_TIMEOUT_S", "300")))
        pool[key] = conn
    return conn


def _drop(scheme, netloc):
    conn = getattr(_local, "pool", {}).pop((scheme, netloc), None)
    if conn is not None:
        conn.close()


def request(method, url, body=None, headers=None):
    """One request over a pooled keep-alive connection; a stale pooled connection is retried once."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    hdrs = dict(headers or {})
    if body is not None:
        hdrs["Content-Length"] = str(len(body))
    for attempt in (0, 1):
        conn = _connection(parts.scheme, parts.netloc)
        try:
            conn.request(method, target, body=body, headers=hdrs)
            if conn.sock is not None:
                conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            resp = conn.getresponse()
            data = resp.read()
            if resp.will_close:
                _drop(parts.scheme, parts.netloc)
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        except (ConnectionError, http.client.HTTPException, OSError):
            _drop(parts.scheme, parts.netloc)
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def fetch_source(escaped_path):
    """hpull without etl_fqn: GET ${AIS_TARGET_URL}/<escaped uname> (the path the worker was called with)."""
    base = os.environ.get("AIS_TARGET_URL", "")
    if not base:
        raise UpstreamError(500, b"AIS_TARGET_URL is not set: cannot fetch the source object")
    status, _, data = request("GET", base.rstrip("/") + "/" + escaped_path.lstrip("/"))
    if status >= 400:
        raise UpstreamError(status, data)
    return data


def compose_direct_put_url(first_url, own_path):
    """§7.4: a URL with a path is a target (prefix it with AIS_TARGET_URL's path); without a path it is the next
    ETL worker, which receives the object under our own object path."""
    first = urllib.parse.urlsplit(first_url)
    if first.path in ("", "/"):
        return urllib.parse.urlunsplit((first.scheme, first.netloc, own_path, first.query, ""))
    base = urllib.parse.urlsplit(os.environ.get("AIS_TARGET_URL", ""))
    scheme = base.scheme or first.scheme
    return urllib.parse.urlunsplit((scheme, first.netloc, base.path.rstrip("/") + first.path, first.query, ""))


def direct_put(node_urls, own_path, data, etl_args=None):
    """PUT the result to the first hop; returns (status, headers, body) to answer our caller with."""
    url = compose_direct_put_url(node_urls[0], own_path)
    if etl_args:
        sep = "&" if "?" in url else "?"
        url += sep + urllib.parse.urlencode({"etl_args": etl_args})
    headers = {"Content-Type": "application/octet-stream"}
    if len(node_urls) > 1:
        headers["Ais-Node-Url"] = ",".join(node_urls[1:])
    try:
        status, resp_headers, body = request("PUT", url, body=data, headers=headers)
    except OSError as e:
        return 502, {}, f"direct put to {url} failed: {e}".encode()
    if status >= 400:
        return status, {}, body
    if body:  # a downstream ETL answered with content: forward it
        return 200, {}, body
    return 204, {"Ais-Direct-Put-Length": str(len(data))}, b""
