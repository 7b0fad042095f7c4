// The Python side of a local run: loads the user's file from where it lives (so breakpoints and tracebacks name
// the user's own file and lines) and calls it the way the ETL runtime would. Written next to each run as
// aisetl_run.py; stdlib only, plus debugpy when debugging and the aistore SDK for ETLServer classes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalRunKind, LocalRunRequest } from './types';

export const HARNESS_FILE = 'aisetl_run.py';

const SOURCE = String.raw`
import argparse, importlib.util, inspect, os, runpy, sys

def start_debugger(port, wait):
    import debugpy
    # In-process adapter: one process to stop and nothing left behind when it ends.
    debugpy.listen(("127.0.0.1", port), in_process_debug_adapter=True)
    sys.stderr.write("AISETL_DEBUG_LISTENING %d\n" % port)
    sys.stderr.flush()
    if wait:
        debugpy.wait_for_client()
        hide_harness_from_debugger()

def hide_harness_from_debugger():
    # Attaching replaced the debugger's filters; add this file so "raised" exceptions and stepping stay in user code.
    try:
        import pydevd
        from _pydevd_bundle.pydevd_filtering import ExcludeFilter
        db = pydevd.get_global_debugger()
        current = list(db._files_filtering._exclude_filters)
        db.set_exclude_filters(current + [ExcludeFilter(os.path.abspath(__file__), True, True)])
    except Exception as e:  # private API: debugging still works, only with extra stops in this file
        sys.stderr.write("note: could not hide the runner from the debugger (%s)\n" % e)

def load_module(file):
    spec = importlib.util.spec_from_file_location("aisetl_user_code", file)
    if spec is None or spec.loader is None:
        raise SystemExit("cannot load %s: not a Python source file" % file)
    module = importlib.util.module_from_spec(spec)
    sys.modules["aisetl_user_code"] = module
    sys.path.insert(0, os.path.dirname(os.path.abspath(file)))
    spec.loader.exec_module(module)
    return module

def as_bytes(out, name):
    if isinstance(out, (bytes, bytearray, memoryview)):
        return bytes(out)
    if isinstance(out, str):
        return out.encode()
    if out is None:
        return b""
    raise TypeError("%s() must return bytes (or str), got %s" % (name, type(out).__name__))

def positional_arity(fn):
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return 1
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 2
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))

def run_code(a):
    fn = getattr(load_module(a.file), a.function, None)
    if not callable(fn):
        raise SystemExit("%s defines no function %s(input_bytes)" % (a.file, a.function))
    data = sys.stdin.buffer.read()
    out = fn(data, a.etl_args) if positional_arity(fn) >= 2 else fn(data)
    sys.stdout.buffer.write(as_bytes(out, a.function))

def find_server_class(module):
    from aistore.sdk.etl.webserver.base_etl_server import ETLServer
    own = [c for c in vars(module).values() if inspect.isclass(c) and c.__module__ == module.__name__]
    found = [c for c in own if issubclass(c, ETLServer) and not inspect.isabstract(c)]
    if not found:
        raise SystemExit("no ETLServer subclass (FastAPIServer, FlaskServer, HTTPMultiThreadedServer) in "
                         + module.__file__)
    return found[-1]

def print_traceback_and_reraise(fn):
    # The SDK answers 500 with only the message; the user needs the traceback of their code.
    import functools, traceback
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception:
            traceback.print_exc()
            sys.stderr.flush()
            raise
    return wrapper

def run_class(a):
    cls = find_server_class(load_module(a.file))
    for name in ("transform", "transform_stream"):
        if name in vars(cls):
            setattr(cls, name, print_traceback_and_reraise(vars(cls)[name]))
    # What the runtime image's bootstrap does: instantiate the class and start its server (in-process here).
    server = cls(host="127.0.0.1", port=int(os.environ["AISETL_PORT"]))
    server.start()

def run_script(a):
    sys.argv = [a.file] + a.rest
    sys.path.insert(0, os.path.dirname(os.path.abspath(a.file)))
    runpy.run_path(a.file, run_name="__main__")

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kind", required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--function", default="transform")
    p.add_argument("--path", default="")
    p.add_argument("--etl-args", default=None)
    p.add_argument("--debug-port", type=int, default=0)
    p.add_argument("--wait", action="store_true")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    a = p.parse_args()
    if a.rest and a.rest[0] == "--":
        a.rest = a.rest[1:]
    if a.debug_port:
        start_debugger(a.debug_port, a.wait)
    {"code": run_code, "etl-class": run_class}.get(a.kind, run_script)(a)
    sys.stdout.flush()

main()
`;

/** Writes the harness into `dir` and returns its path. */
export function writeHarness(dir: string): string {
  const file = path.join(dir, HARNESS_FILE);
  fs.writeFileSync(file, SOURCE.trimStart());
  return file;
}

/** Harness arguments shared by every Python flow: what to run, the object's path and args, debugpy. */
export function harnessArgs(harness: string, kind: LocalRunKind, file: string, req: LocalRunRequest): string[] {
  const args = ['-X', 'frozen_modules=off', harness, '--kind', kind, '--file', file];
  if (req.objectName) args.push('--path', req.objectName);
  if (req.etlArgs !== undefined) args.push('--etl-args', req.etlArgs);
  if (req.debug) {
    args.push('--debug-port', String(req.debug.port));
    if (req.debug.waitForClient) args.push('--wait');
  }
  return args;
}
