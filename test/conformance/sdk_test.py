"""The official AIStore Python SDK (pinned in peers/sdk-requirements.txt) against an AIS endpoint, normally our local
cluster. Run by sdk.test.ts with the SDK's virtualenv python; prints one line per check ("ok - NAME",
"FAIL - NAME -- why", "skip - NAME -- why"; "start - NAME" before each) and a final "N passed, N failed, N skipped" line; exit 1 on any failure.

Environment: AIS_ENDPOINT (required); SDK_MD5_IMAGE (tutorial image built with `aisetl build`), SDK_SPEC_YAML (the
tutorial pod spec), SDK_WEBSERVER_IMAGE (image whose server uses aistore.sdk.etl.webserver); SDK_NO_ETL=<reason> skips the ETL
checks (aisnode is built without ETL). A check whose input is
missing is reported as skipped with the reason.
"""
import hashlib
import os
import signal
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import aistore
from aistore.sdk import Client
from aistore.sdk.errors import AISError, ErrBckNotFound
from aistore.sdk.etl import ETLConfig

ENDPOINT = os.environ["AIS_ENDPOINT"]
SDK = tuple(int(x) for x in aistore.__version__.split(".")[:2])
SDK2 = SDK >= (2, 0)  # no Etl.init_spec; Object.head() is a selective HEAD (?props=) returning attributes
N_OBJECTS = 2500
PAGE = 10
TEXT = b"some text :)\n"
TEXT_MD5 = hashlib.md5(TEXT).hexdigest()  # the tutorial's 393c6706efb128fbc442d3f7d084a426
RUN = str(int(time.time()))[-6:]  # unique names, so a re-run against the same cluster does not collide

client = Client(ENDPOINT, timeout=(5, 120))
results = {"passed": 0, "failed": 0, "skipped": 0}


class Skip(Exception):
    pass


CHECK_TIMEOUT_S = int(os.environ.get("SDK_CHECK_TIMEOUT", "120"))


class CheckTimeout(BaseException):
    """BaseException, not TimeoutError/OSError: the SDK's retry logic would swallow those and retry forever."""


def _timeout(_signum, _frame):
    raise CheckTimeout(f"check did not finish within {CHECK_TIMEOUT_S}s (the cluster stopped answering?)")


def check(name):
    def deco(fn):
        print(f"start - {name}", flush=True)
        signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(CHECK_TIMEOUT_S)
        try:
            fn()
            results["passed"] += 1
            print(f"ok - {name}", flush=True)
        except Skip as e:
            results["skipped"] += 1
            print(f"skip - {name} -- {e}", flush=True)
        except (Exception, CheckTimeout) as e:  # pylint: disable=broad-except
            results["failed"] += 1
            detail = "".join(traceback.format_exception_only(type(e), e)).strip().replace("\n", " | ")
            print(f"FAIL - {name} -- {detail}", flush=True)
        finally:
            signal.alarm(0)
        return fn

    return deco


def need_etl():
    if os.environ.get("SDK_NO_ETL"):
        raise Skip(os.environ["SDK_NO_ETL"])


READY = set()  # ETLs whose init check passed; later checks on them skip otherwise


def need_ready(*etls):
    for etl in etls:
        if etl.name not in READY:
            raise Skip(f"ETL {etl.name} was not initialised (its init check failed or was skipped)")


def need(var):
    value = os.environ.get(var)
    if not value:
        raise Skip(f"{var} is not set (the wrapper could not prepare it)")
    return value


def eq(got, want, what):
    if got != want:
        raise AssertionError(f"{what}: expected {want!r}, got {got!r}")


src = client.bucket(f"sdk-src-{RUN}")
dst = client.bucket(f"sdk-dst-{RUN}")
many = client.bucket(f"sdk-many-{RUN}")


@check("cluster map: client.cluster().get_info() lists 1 proxy and >=1 target")
def _():
    smap = client.cluster().get_info()
    if not smap.pmap or not smap.tmap:
        raise AssertionError(f"smap without proxies or targets: pmap={smap.pmap!r} tmap={smap.tmap!r}")


@check("buckets: create, list_buckets, head, 409 on create existing, 404 on head missing")
def _():
    for b in (src, many):
        b.create()
    names = {b.name for b in client.cluster().list_buckets()}
    for b in (src, many):
        if b.name not in names:
            raise AssertionError(f"{b.name} missing from list_buckets: {sorted(names)}")
    src.head()
    try:
        src.create()
        raise AssertionError("create of an existing bucket did not fail")
    except AISError as e:
        eq(e.status_code, 409, "status of create existing")
    try:
        client.bucket(f"sdk-nope-{RUN}").head()
        raise AssertionError("head of a missing bucket did not fail")
    except AISError as e:  # aisnode puts no body on a HEAD, so the SDK raises the generic AISError here
        eq(e.status_code, 404, "status of head missing bucket")


@check("objects: put_content / get_reader().read_all() / head props")
def _():
    obj = src.object("shard.in")
    obj.get_writer().put_content(TEXT)
    eq(obj.get_reader().read_all(), TEXT, "content")
    if SDK2:  # selective HEAD: ?props=name,size by default, attributes parsed from the headers
        attrs = obj.head()
        eq(attrs.size, len(TEXT), "size")
        eq(obj.head(props="checksum").checksum_type not in (None, ""), True, "checksum type with props=checksum")
        return
    headers = obj.head()  # 1.25: the response headers
    eq(int(headers.get("Content-Length", -1)), len(TEXT), "Content-Length")
    eq(headers.get("ais-present"), "true", "ais-present")
    if not headers.get("ais-checksum-type"):
        raise AssertionError(f"no ais-checksum-type header in {dict(headers)}")


@check(f"list with pagination: {N_OBJECTS} objects, page size {PAGE}")
def _():
    def put(i):
        many.object(f"obj-{i:05d}").get_writer().put_content(f"{i}\n".encode())

    pool = ThreadPoolExecutor(8)
    try:
        list(pool.map(put, range(N_OBJECTS)))
    finally:  # not `with`: on a timeout it would wait for PUTs that may never return
        pool.shutdown(wait=False, cancel_futures=True)
    names, token, pages = [], "", 0
    while True:
        page = many.list_objects(page_size=PAGE, continuation_token=token)
        pages += 1
        if len(page.entries) > PAGE:
            raise AssertionError(f"page {pages} has {len(page.entries)} entries > page size {PAGE}")
        names += [e.name for e in page.entries]
        token = page.continuation_token
        if not token or pages > N_OBJECTS:
            break
    eq(names, [f"obj-{i:05d}" for i in range(N_OBJECTS)], "names over all pages")
    # aisnode v1.5.0 (1 target) gives a token on page 250 and an empty page 251; both are fine for clients
    if pages not in (N_OBJECTS // PAGE, N_OBJECTS // PAGE + 1):
        raise AssertionError(f"number of pages: expected {N_OBJECTS // PAGE} (or +1 empty), got {pages}")
    # the iterator stops only when a page has no token AND the cluster gave a list uuid; bound it to fail clearly
    n = 0
    for _ in many.list_objects_iter(page_size=PAGE):
        n += 1
        if n > N_OBJECTS:
            raise AssertionError(f"list_objects_iter(page_size={PAGE}) yields more than {N_OBJECTS} entries: it restarts "
                                 "at the end (does the list response carry a non-empty 'uuid'?)")
    eq(n, N_OBJECTS, "list_objects_iter count")


def wait_running(etl, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        stages = {e.id: e.stage for e in client.cluster().list_etls()}
        if stages.get(etl.name) == "Running":
            return
        time.sleep(0.2)
    raise AssertionError(f"ETL {etl.name} not Running after {timeout}s: {stages}")


def expect_md5_inline(etl, timeout=60, what="transformed content"):
    """Once etl is Running, an inline transform of shard.in through it gives the md5."""
    wait_running(etl, timeout=timeout)
    got = src.object("shard.in").get_reader(etl=ETLConfig(etl.name)).read_all()
    eq(got.decode(), TEXT_MD5, what)


# every stage an ETL can be listed with (etl-api.md 2.3; "Stopped" in 3.28-3.29)
ALL_STAGES = ["Initializing", "Running", "Aborted", "Stopped", "Unknown"]

md5_spec = client.etl(f"sdk-spec-{RUN}")
md5_runtime = client.etl(f"sdk-web-{RUN}")


@check("wire: the SDK's init bodies carry comm types with '://' (what the local cluster and AIS 5.0 accept)")
def _():
    # Etl.init_spec / Etl.init take "hpush"/"hpull"/"ws" (anything else is a ValueError) and append "://" when they
    # build the body (sdk/types.py InitSpecETLArgs.as_dict, ETLSpecMsg.as_dict): the server never sees "hpush"
    from aistore.sdk.types import ETLRuntimeSpec, ETLSpecMsg
    for comm in ("hpush", "hpull", "ws"):
        if not SDK2:  # 2.0 has no InitSpecETLArgs
            from aistore.sdk.types import InitSpecETLArgs  # pylint: disable=import-outside-toplevel
            spec = InitSpecETLArgs(spec="", name="x", comm_type=comm, init_timeout="1m", obj_timeout="1m").as_dict()
            eq(spec["communication"], comm + "://", "InitSpecETLArgs communication")
        rt = ETLSpecMsg(name="x", comm_type=comm, init_timeout="1m", obj_timeout="1m", runtime=ETLRuntimeSpec(image="i")).as_dict()
        eq(rt["communication"], comm + "://", "ETLSpecMsg communication")


@check("Etl.init_spec(pod spec with a readinessProbe, comm 'hpush' as the SDK spells it) then get_reader(etl=ETLConfig(name)) gives the md5")
def _():
    need_etl()
    if SDK2:
        raise Skip("SDK 2.0 has no Etl.init_spec (Pod specs are deprecated in AIS 5.0)")
    with open(need("SDK_SPEC_YAML"), encoding="utf-8") as f:
        template = f.read()
    md5_spec.init_spec(template=template, communication_type="hpush", init_timeout="2m")
    expect_md5_inline(md5_spec)
    READY.add(md5_spec.name)


@check("Etl.init(runtime spec) with a server written with aistore.sdk.etl.webserver, comm 'hpull', inline transform")
def _():
    need_etl()
    image = need("SDK_WEBSERVER_IMAGE")
    md5_runtime.init(image=image, command=["python", "/code/server.py", "--port", "8000"], comm_type="hpull", init_timeout="2m")
    expect_md5_inline(md5_runtime)
    READY.add(md5_runtime.name)


md5_class = client.etl(f"sdk-cls-{RUN}")


def _md5_class():
    from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer  # noqa

    class Md5Class(HTTPMultiThreadedServer):
        def transform(self, data, path, etl_args):
            return hashlib.md5(data).hexdigest().encode()

    return Md5Class


@check("Etl.init_class(HTTPMultiThreadedServer subclass): cloudpickled, runs on runtime_python, inline md5")
def _():
    need_etl()
    md5_class.init_class(comm_type="hpush", init_timeout="5m")(_md5_class())
    expect_md5_inline(md5_class, timeout=300)
    READY.add(md5_class.name)


@check("bucket job through the init_class ETL with etl_pipeline=[runtime-spec ETL]: md5 of the md5, job.wait()")
def _():
    need_etl()
    need_ready(md5_class, md5_runtime)
    piped = client.bucket(f"sdk-pipe-{RUN}")
    piped.create()
    job_id = src.transform(etl_name=md5_class.name, to_bck=piped, timeout="2m", etl_pipeline=[md5_runtime.name])
    client.job(job_id).wait(timeout=120, verbose=False)
    want = hashlib.md5(TEXT_MD5.encode()).hexdigest()
    eq(piped.object("shard.in").get_reader().read_all().decode(), want, "md5 of md5")
    piped.delete()


aborted = client.bucket(f"sdk-abort-{RUN}")


@check("SDK 1.26+: Bucket.inspect (dry run, source = destination) and Job.abort")
def _():
    need_etl()
    if SDK < (1, 26):
        raise Skip(f"aistore {aistore.__version__} has no Bucket.inspect / Job.abort")
    need_ready(md5_class)
    job_id = src.inspect(etl_name=md5_class.name)
    client.job(job_id).wait(timeout=120, verbose=False)
    eq([e.name for e in src.list_all_objects()], ["shard.in"], "source untouched by the dry run")
    job_id = many.transform(etl_name=md5_class.name, to_bck=aborted, timeout="2m")
    client.job(job_id).abort()
    deadline = time.time() + 60
    while time.time() < deadline:
        st = client.job(job_id).status()
        if st.end_time:
            break
        time.sleep(0.2)
    if not st.end_time or not st.aborted:
        raise AssertionError(f"job {job_id} after abort: end_time={st.end_time} aborted={st.aborted}")


@check("view: Etl.view() returns the init message")
def _():
    need_etl()
    need_ready(md5_runtime)
    details = md5_runtime.view()
    msg = details.init_msg
    eq(msg.name if hasattr(msg, "name") else None, md5_runtime.name, "init_msg.name")


@check("list_etls shows every initialised ETL Running")
def _():
    need_etl()
    need_ready(md5_runtime)
    stages = {e.id: e.stage for e in client.cluster().list_etls()}
    for etl in (md5_spec, md5_runtime, md5_class):
        if etl.name in READY:
            eq(stages.get(etl.name), "Running", f"stage of {etl.name}")


@check("logs: Etl.logs() returns one entry per target")
def _():
    need_etl()
    need_ready(md5_runtime)
    logs = md5_runtime.logs()
    if not logs:
        raise AssertionError("no logs entries")
    targets = client.cluster().get_info().tmap
    eq(len(logs), len(targets), "log entries vs targets")


@check("offline bucket transform: bucket.transform(...) + client.job(id).wait()")
def _():
    need_etl()
    need_ready(md5_runtime)
    need("SDK_WEBSERVER_IMAGE")
    dst.create()
    job_id = src.transform(etl_name=md5_runtime.name, to_bck=dst, timeout="2m")
    client.job(job_id).wait(timeout=120, verbose=False)
    names = [e.name for e in dst.list_all_objects()]
    eq(names, ["shard.in"], "destination objects")
    eq(dst.object("shard.in").get_reader().read_all().decode(), TEXT_MD5, "transformed object")


@check("stop / start: stage Aborted (3.29: Stopped) then Running, transform works again")
def _():
    need_etl()
    need_ready(md5_runtime)
    md5_runtime.stop()
    # list_etls() filters client-side to stages=["Running"] (sdk/cluster.py); ask for every stage
    stages = {e.id: e.stage for e in client.cluster().list_etls(stages=ALL_STAGES)}
    # a stopped ETL stays listed: stage "Stopped" (3.28-3.29) or "Aborted" (>=3.30)
    if stages.get(md5_runtime.name) not in ("Stopped", "Aborted"):
        raise AssertionError(f"stage after stop: expected 'Aborted' (or 3.29's 'Stopped'), got {stages.get(md5_runtime.name)!r}; list: {stages}")
    md5_runtime.start()
    expect_md5_inline(md5_runtime, what="transformed content after start")


@check("delete: stop + delete removes the ETL; transform with it answers 404")
def _():
    need_etl()
    need_ready(md5_runtime)
    ready = [etl for etl in (md5_spec, md5_runtime, md5_class) if etl.name in READY]
    for etl in ready:
        etl.stop()
        etl.delete()
    names = {e.id for e in client.cluster().list_etls(stages=ALL_STAGES)}
    for etl in ready:
        if etl.name in names:
            raise AssertionError(f"{etl.name} still listed after delete")
    try:
        src.object("shard.in").get_reader(etl=ETLConfig(md5_runtime.name)).read_all()
        raise AssertionError("transform with a deleted ETL did not fail")
    except AISError as e:
        eq(e.status_code, 404, "status of transform with deleted ETL")


@check("cleanup: destroy buckets")
def _():
    for b in (src, dst, many, aborted):
        try:
            b.delete()
        except ErrBckNotFound:
            pass


print(f"sdk: {results['passed']} passed, {results['failed']} failed, {results['skipped']} skipped", flush=True)
sys.exit(1 if results["failed"] else 0)
