// The Python side of buildInitClassMessage, run with the user's interpreter (`python -c`). It loads the user's
// module the way a script run with `python etl.py` has it (not importable, so cloudpickle ships the class by value),
// then calls the SDK's own `Etl(client, name).init_class(...)(cls)` with a client that records the request instead of
// sending it: the body is exactly what the SDK would PUT to /v1/etl, payload, image and env included.
// Protocol: one JSON request on stdin; one JSON answer on stdout (the module's own prints go to stderr).

export const INIT_CLASS_SCRIPT = String.raw`
import json, os, runpy, sys, traceback

def fail(code, message, info):
    return dict(info, ok=False, code=code, message=message)

def sdk_version():
    try:
        from importlib.metadata import version
        return version("aistore")
    except Exception:
        return "unknown"

def load_class(req, info, ETLServer, cloudpickle):
    path = os.path.abspath(req["file"])
    folder = os.path.dirname(path)
    sys.path.insert(0, folder)
    before = set(sys.modules)
    try:
        ns = runpy.run_path(path, run_name="__aisetl_etl_module__")
    except BaseException:
        return None, fail("import-error", traceback.format_exc(), info)
    cls = ns.get(req["className"])
    if not isinstance(cls, type) or not issubclass(cls, ETLServer):
        return None, fail("not-etlserver", "%s does not define a class %s deriving from ETLServer" % (path, req["className"]), info)
    # Helper modules next to the file are not in the runtime image: ship them by value too.
    for name in set(sys.modules) - before:
        mod = sys.modules.get(name)
        f = os.path.abspath(getattr(mod, "__file__", None) or "/")
        if f.startswith(folder + os.sep) and hasattr(cloudpickle, "register_pickle_by_value"):
            try:
                cloudpickle.register_pickle_by_value(mod)
            except Exception:
                pass
    return cls, None

class RecordingClient:
    def __init__(self):
        self.sent = None
    def request(self, method, path, **kwargs):
        self.sent = {"method": method, "path": path, "json": kwargs.get("json")}
        return type("Response", (), {"text": ""})()

def run(req):
    info = {"python": "%d.%d" % sys.version_info[:2], "executable": sys.executable}
    try:
        import cloudpickle
        from aistore.sdk.etl.etl import Etl
        from aistore.sdk.etl.webserver.base_etl_server import ETLServer
    except ImportError as e:
        return fail("no-aistore", str(e), info)
    info["sdk"] = sdk_version()
    if not hasattr(Etl, "init_class"):
        return fail("sdk-too-old", "aistore %s has no Etl.init_class" % info["sdk"], info)
    cls, err = load_class(req, info, ETLServer, cloudpickle)
    if err:
        return err
    a = req["args"]
    client = RecordingClient()
    try:
        Etl(client, req["name"]).init_class(
            dependencies=a.get("dependencies") or None, os_packages=a.get("os_packages") or None,
            comm_type=a["comm_type"], init_timeout=a["init_timeout"], obj_timeout=a["obj_timeout"],
            direct_put=a["direct_put"], direct_file_access=a["direct_file_access"], **a.get("env", {}))(cls)
    except (ValueError, TypeError) as e:
        return fail("sdk-refused", str(e), info)
    except Exception:
        return fail("serialize-error", traceback.format_exc(), info)
    if not client.sent or not isinstance(client.sent.get("json"), dict):
        return fail("serialize-error", "Etl.init_class sent no init message", info)
    return dict(info, ok=True, body=client.sent["json"])

def main():
    req = json.loads(sys.stdin.read())
    out = sys.stdout
    sys.stdout = sys.stderr
    try:
        res = run(req)
    except BaseException:
        res = {"ok": False, "code": "internal", "message": traceback.format_exc()}
    out.write(json.dumps(res))
    out.flush()
    os._exit(0)

main()
`;
