"""An MD5 ETL server written with the official SDK's webserver framework (aistore.sdk.etl.webserver).

The conformance suite runs it as an ETL worker of the local cluster (runtime spec whose command starts it), to check
that the local cluster drives a real SDK server the way an AIS target does (health, hpush/hpull, AIS_TARGET_URL).
"""
import argparse
import hashlib

from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer


class Md5Server(HTTPMultiThreadedServer):
    def transform(self, data, path, etl_args):
        return hashlib.md5(data).hexdigest().encode()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    Md5Server(host="0.0.0.0", port=parser.parse_args().port).start()
