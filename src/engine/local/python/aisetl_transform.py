"""Loads the user's transform function and calls it the way the AIS python3.Xv2 runtimes did.

Stdlib only: this file runs inside the user's (possibly empty) virtualenv.
"""
import importlib.util
import inspect
import io
import sys
import urllib.parse


class UserCodeError(Exception):
    """The user's code file could not be loaded or does not define the function."""


def load_function(code_file, function_name):
    # A unique module name: the historic runtime used MOD_NAME=code, which would shadow the stdlib `code` module.
    spec = importlib.util.spec_from_file_location("aisetl_user_code", code_file)
    if spec is None or spec.loader is None:
        raise UserCodeError(f"cannot load {code_file}: not a Python source file")
    module = importlib.util.module_from_spec(spec)
    sys.modules["aisetl_user_code"] = module
    spec.loader.exec_module(module)
    fn = getattr(module, function_name, None)
    if fn is None or not callable(fn):
        defined = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        raise UserCodeError(
            f"the ETL code defines no function '{function_name}' (found: {', '.join(defined) or 'none'}); "
            f"define `def {function_name}(input_bytes): ...` or set the function name in the init message")
    return fn


def _positional_arity(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 2
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def _as_bytes(out, fn_name):
    if isinstance(out, bytes):
        return out
    if isinstance(out, (bytearray, memoryview)):
        return bytes(out)
    if isinstance(out, str):
        return out.encode()
    if out is None:
        return b""
    raise TypeError(f"{fn_name}() must return bytes (or str), got {type(out).__name__}")


class Transformer:
    """`transform(bytes) -> bytes`; a second positional parameter receives etl_args; chunk_size > 0 selects the
    historic streaming form `transform(reader, writer)`."""

    def __init__(self, fn, chunk_size=0):
        self.fn = fn
        self.name = getattr(fn, "__name__", "transform")
        self.streaming = chunk_size > 0
        self.wants_args = _positional_arity(fn) >= 2 and not self.streaming

    def __call__(self, data, etl_args=None):
        if self.streaming:
            writer = io.BytesIO()
            self.fn(io.BytesIO(data), writer)
            return writer.getvalue()
        out = self.fn(data, etl_args) if self.wants_args else self.fn(data)
        return _as_bytes(out, self.name)


def read_fqn(escaped_fqn):
    """etl_fqn arrives path-escaped (Go url.PathEscape); the file is the object on the target's disk."""
    with open(urllib.parse.unquote(escaped_fqn), "rb") as f:
        return f.read()
