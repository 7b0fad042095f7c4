"""The local twin of the aistorage/runtime_python image's entrypoint: load the ETLServer subclass that
Etl.init_class cloudpickled into ETL_CLASS_PAYLOAD and serve it with the SDK's own web server, so the class sees the
production contract. PACKAGES are already installed in this interpreter's venv by the local cluster.

HTTPMultiThreadedServer runs in this process (its port 8000 is mapped to the local port by sitecustomize);
FastAPIServer runs under uvicorn and FlaskServer under gunicorn with NUM_WORKERS workers (default 6), each worker
loading the payload again (aisetl_class_server.py), as the image does. While a debugger is attached (AISETL_DEBUG),
both run in this one process instead (uvicorn in-process, Flask's own threaded server): the debugger is attached to
this process, and a forked or exec'd server would escape it."""
import base64
import dis
import logging
import os
import sys
import types

import cloudpickle

from aistore.sdk.etl.webserver.base_etl_server import ETLServer
from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer
from aistore.sdk.etl.webserver.flask_server import FlaskServer
from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer

log = logging.getLogger("bootstrap")
logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")


def load_class():
    payload = os.getenv("ETL_CLASS_PAYLOAD", "")
    if not payload:
        log.error("ETL_CLASS_PAYLOAD is not set")
        sys.exit(1)
    try:
        cls = cloudpickle.loads(base64.b64decode(payload))
    except Exception as e:  # pylint: disable=broad-except
        log.error("Failed to decode ETL class payload: %s: %s (it must be unpickled by the Python version that "
                  "pickled it; this is Python %d.%d)", type(e).__name__, e, *sys.version_info[:2])
        sys.exit(1)
    if not (isinstance(cls, type) and issubclass(cls, ETLServer)):
        log.error("ETL_CLASS_PAYLOAD holds %r, not a subclass of ETLServer", cls)
        sys.exit(1)
    return cls


# cloudpickle (>= 3.1) ships the class's code under the file name "<dynamic-code>", which no breakpoint can name.
DYNAMIC_CODE = "<dynamic-code>"
# 16 GiB, as the runtime image starts uvicorn: a ws:// message carries a whole object
WS_MAX_SIZE = 17179869184
DEBUG_SOURCE_FILE = "etl_class.py"


def _user_functions(cls):
    """The functions of the class (and of its bases and module-level functions from the same file)."""
    module = cls.__module__
    found = []
    for klass in cls.__mro__:
        if klass.__module__ != module:
            continue
        for value in vars(klass).values():
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, property):
                found.extend(f for f in (value.fget, value.fset, value.fdel) if f)
            elif isinstance(value, types.FunctionType):
                found.append(value)
    for fn in list(found):
        found.extend(v for v in fn.__globals__.values()
                     if isinstance(v, types.FunctionType) and v.__module__ == module and v not in found)
    return found


def name_class_source(cls, folder):
    """While debugging: the class's code is renamed to <folder>/etl_class.py (same line numbers as the user's file,
    which the debugger maps onto it). The debugger accepts breakpoints only on lines of that file that hold code, so
    it holds a `pass` on each line the class has code on."""
    path = os.path.join(folder, DEBUG_SOURCE_FILE)
    lines = set()

    def rename(code):
        consts = tuple(rename(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
        if code.co_filename != DYNAMIC_CODE:
            return code.replace(co_consts=consts)
        lines.update(line for _, line in dis.findlinestarts(code) if line)
        return code.replace(co_filename=path, co_consts=consts)

    for fn in _user_functions(cls):
        fn.__code__ = rename(fn.__code__)
    text = "".join("pass\n" if i in lines else "\n" for i in range(1, max(lines, default=0) + 1))
    os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "# %s from ETL_CLASS_PAYLOAD: its code runs with the line numbers of the file that was "
                "deployed; a pass marks each line that holds code\n" % cls.__name__)
    log.info("Debugging: %s runs as %s (map the deployed file onto it)", cls.__name__, path)


def serve_in_process(server, name, port):
    if isinstance(server, FastAPIServer):
        import uvicorn
        log.info("Starting %s (FastAPIServer) in-process for the debugger", name)
        uvicorn.run(server.app, host="127.0.0.1", port=port, log_level="info", ws_max_size=WS_MAX_SIZE,
                    ws_ping_interval=None, access_log=False)
    elif isinstance(server, FlaskServer):
        log.info("Starting %s (FlaskServer) in-process for the debugger, with Flask's threaded server", name)
        server.app.run(host="127.0.0.1", port=port, threaded=True)
    else:
        log.error("Unsupported server type: %s", name)
        sys.exit(1)


def main():
    cls = load_class()
    if os.environ.get("AISETL_DEBUG_SOURCE_DIR"):
        name_class_source(cls, os.environ["AISETL_DEBUG_SOURCE_DIR"])
    try:
        server = cls()
    except Exception as e:  # pylint: disable=broad-except
        log.error("Failed to instantiate ETLServer: %s: %s", type(e).__name__, e)
        sys.exit(1)
    port = os.environ.get("AISETL_HOST_PORT", "8000")
    workers = os.environ.get("NUM_WORKERS", "6")
    if isinstance(server, HTTPMultiThreadedServer):
        log.info("Starting %s (HTTPMultiThreadedServer) in-process", cls.__name__)
        server.start()
        return
    if os.environ.get("AISETL_DEBUG"):
        serve_in_process(server, cls.__name__, int(port))
        return
    if isinstance(server, FastAPIServer):
        cmd = [sys.executable, "-m", "uvicorn", "aisetl_class_server:app", "--host", "127.0.0.1", "--port", port,
               "--workers", workers, "--log-level", "info", "--ws-max-size", str(WS_MAX_SIZE),
               "--ws-ping-interval", "0", "--ws-ping-timeout", "86400", "--no-access-log"]
    elif isinstance(server, FlaskServer):
        cmd = [sys.executable, "-m", "gunicorn", "aisetl_class_server:app", "--bind", "127.0.0.1:" + port,
               "--workers", workers, "--log-level", "info"]
    else:
        log.error("Unsupported server type: %s", cls.__name__)
        sys.exit(1)
    log.info("Launching server: %s", " ".join(cmd[1:]))
    os.execv(cmd[0], cmd)


if __name__ == "__main__":
    main()
