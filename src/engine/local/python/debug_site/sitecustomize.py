"""Loaded first (PYTHONPATH) by the workers of an ETL being debugged on the local cluster, then hands over to the next
sitecustomize on the path (the port mapping of container-style workers, or the image's own), which still runs.

AISETL_DEBUGPY_LISTEN="<host>:<port>"  start debugpy's adapter there; popped, so that child processes do not listen
                                       again (package installers never do: they are no ETL)
AISETL_DEBUG_SOURCE_NAMES="a.py,..."   code that the ETL compiles from a string under one of these relative names
AISETL_DEBUG_SOURCE_DIR="<dir>"        (the SDK wrapper's user code) is written to <dir>/<name> and compiled from
                                       there, so that its frames name a real file a debugger maps breakpoints to"""
import builtins
import os
import sys


def _is_installer():
    argv = list(getattr(sys, "orig_argv", []))
    prog = os.path.basename(argv[1] if len(argv) > 1 else "")
    return prog.startswith("pip") or any(a == "pip" and argv[i - 1] == "-m" for i, a in enumerate(argv) if i)


def _listen(spec):
    try:
        import debugpy
        host, port = spec.rsplit(":", 1)
        debugpy.listen((host, int(port)))
        sys.stderr.write(f"[aisetl] debugpy listening on {spec}\n")
    except Exception as e:  # pylint: disable=broad-except  # the ETL still runs, only without a debugger
        sys.stderr.write(f"[aisetl] debugpy could not listen on {spec}: {e}\n")


def _materialize_compiled_sources(names, folder):
    original = builtins.compile

    def compile_from_file(source, filename, mode, *args, **kwargs):
        if isinstance(filename, str) and filename in names and isinstance(source, (str, bytes)):
            path = os.path.join(folder, filename)
            text = source if isinstance(source, bytes) else source.encode("utf-8")
            os.makedirs(folder, exist_ok=True)
            with open(path, "wb") as f:
                f.write(text)
            filename = path
        return original(source, filename, mode, *args, **kwargs)

    builtins.compile = compile_from_file


def _chain():
    """Runs the next sitecustomize.py on sys.path (Python itself only imports the first one)."""
    here = os.path.dirname(os.path.abspath(__file__))
    seen_self = False
    for entry in sys.path:
        folder = os.path.abspath(entry or os.getcwd())
        if folder == here:
            seen_self = True
            continue
        candidate = os.path.join(folder, "sitecustomize.py")
        if seen_self and os.path.isfile(candidate):
            import importlib.util
            spec = importlib.util.spec_from_file_location("_aisetl_chained_sitecustomize", candidate)
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
            return


_spec = os.environ.pop("AISETL_DEBUGPY_LISTEN", "")
if _spec and not _is_installer():
    _listen(_spec)
_names = {n for n in os.environ.get("AISETL_DEBUG_SOURCE_NAMES", "").split(",") if n}
_dir = os.environ.get("AISETL_DEBUG_SOURCE_DIR", "")
if _names and _dir:
    _materialize_compiled_sources(_names, _dir)
_chain()
