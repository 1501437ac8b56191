#!/usr/bin/env python3
"""A small HTTP proxy in front of moto for the fan-out tests.

Usage: deny_proxy.py --upstream URL --port-file FILE [--deny-account ID ...]
                     [--disabled-region REGION ...] [--delay SECONDS] [--config-rows FILE]

Forwards every request to moto as it is, except `sts:AssumeRole` into a role of a denied
account, which it answers as STS does when the role's trust policy does not let the caller in
(403, `AccessDenied`, in STS's XML error shape): moto itself lets anyone assume any role.
Requests signed for a `--disabled-region` are answered as AWS answers in a Region that is not
enabled for the account: `UnrecognizedClientException` ("The security token included in the
request is invalid"), in the JSON shape for JSON protocols and as `AuthFailure` in XML otherwise.
`--delay` holds every answer back that long (a slow endpoint, so that a test can interrupt a
run). `--config-rows FILE` (`{"aggregator": NAME, "rows": [...]}`) answers AWS Config's
`SelectAggregateResourceConfig`, which moto does not implement, in the service's JSON 1.1 shape:
`Results` holds each row as a JSON string, as AWS returns them, in one page; another aggregator
name gets `NoSuchConfigurationAggregatorException`. Writes its port to FILE once it listens.
"""

import argparse
import http.client
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DENIED = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User: arn:aws:iam::123456789012:user/moto is not authorized to perform: sts:AssumeRole on resource: {role}</Message>
  </Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>
"""


JSON_DISABLED = b'{"__type": "UnrecognizedClientException", "message": "The security token included in the request is invalid."}'
XML_DISABLED = b"""<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>x</RequestID></Response>"""


def signed_region(headers):
    """The Region of a SigV4 `Authorization` header (Credential=KEY/DATE/REGION/SERVICE/...)."""
    auth = headers.get("Authorization") or ""
    for part in auth.replace(",", " ").split():
        if part.startswith("Credential="):
            scope = part[len("Credential="):].split("/")
            if len(scope) > 2:
                return scope[2]
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--deny-account", action="append", default=[])
    parser.add_argument("--disabled-region", action="append", default=[])
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--config-rows")
    args = parser.parse_args()
    config = None
    if args.config_rows:
        with open(args.config_rows) as f:
            config = json.load(f)
    upstream = urllib.parse.urlsplit(args.upstream)
    local = threading.local()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if args.delay:
                time.sleep(args.delay)
            if signed_region(self.headers) in args.disabled_region:
                if "json" in (self.headers.get("Content-Type") or ""):
                    return self.reply(
                        400,
                        {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": "UnrecognizedClientException"},
                        JSON_DISABLED,
                    )
                return self.reply(401, {"Content-Type": "text/xml"}, XML_DISABLED)
            target = self.headers.get("X-Amz-Target") or ""
            if config is not None and target == "StarlingDoveService.SelectAggregateResourceConfig":
                return self.select(json.loads(body or b"{}"))
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            if form.get("Action") == ["AssumeRole"]:
                role = (form.get("RoleArn") or [""])[0]
                if any(f":{account}:" in role for account in args.deny_account):
                    return self.reply(403, {"Content-Type": "text/xml"}, DENIED.format(role=role).encode())
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
            except (http.client.HTTPException, OSError):
                local.conn = conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
            data = answer.read()
            skip = ("transfer-encoding", "connection", "content-length", "keep-alive")
            self.reply(answer.status, {k: v for k, v in answer.getheaders() if k.lower() not in skip}, data)

        def select(self, request):
            kind = {"Content-Type": "application/x-amz-json-1.1"}
            if request.get("ConfigurationAggregatorName") != config["aggregator"]:
                error = {
                    "__type": "NoSuchConfigurationAggregatorException",
                    "message": "The configuration aggregator does not exist. Check the configuration aggregator name and try again.",
                }
                return self.reply(400, kind, json.dumps(error).encode())
            answer = {
                "Results": [json.dumps(row) for row in config["rows"]],
                "QueryInfo": {"SelectFields": [{"Name": "accountId"}, {"Name": "awsRegion"}]},
            }
            return self.reply(200, kind, json.dumps(answer).encode())

        def reply(self, status, headers, data):
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
