"""Imported by each uvicorn/gunicorn worker: the ETLServer instance from ETL_CLASS_PAYLOAD and its app."""
import base64
import os

import cloudpickle

server = cloudpickle.loads(base64.b64decode(os.environ["ETL_CLASS_PAYLOAD"]))()
app = server.app
