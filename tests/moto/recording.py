#!/usr/bin/env python3
"""Reads moto's request recording and names each request as an IAM action.

Usage: recording.py --endpoint URL

Downloads /moto-api/recorder/download-recording and prints a JSON list with one
"service:Action" per recorded request, in order. The service comes from the SigV4 credential
scope; the action from the X-Amz-Target header (JSON protocols: ECS), the Action form field
(query protocols: EC2, IAM, STS) or the method and path (REST: EFS, Route 53). A request it cannot name
is printed as "service:METHOD path", which no read-only check accepts.
"""

import argparse
import base64
import json
import re
import sys
import urllib.parse
import urllib.request

# EFS is a REST API: reads are GETs on these paths (API version 2015-02-01).
EFS_READS = [
    (r"^/2015-02-01/file-systems/[^/]+/policy$", "DescribeFileSystemPolicy"),
    (r"^/2015-02-01/file-systems(/[^/]+)?$", "DescribeFileSystems"),
    (r"^/2015-02-01/mount-targets/[^/]+/security-groups$", "DescribeMountTargetSecurityGroups"),
    (r"^/2015-02-01/mount-targets$", "DescribeMountTargets"),
    (r"^/2015-02-01/access-points(/[^/]+)?$", "DescribeAccessPoints"),
]

# Route 53 is a REST API too (API version 2013-04-01).
ROUTE53_READS = [
    (r"^/2013-04-01/hostedzonesbyvpc$", "ListHostedZonesByVPC"),
    (r"^/2013-04-01/hostedzone/[^/]+/rrset/?$", "ListResourceRecordSets"),
    (r"^/2013-04-01/hostedzone/[^/]+$", "GetHostedZone"),
]


def header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def action_of(entry):
    headers = entry.get("headers") or {}
    auth = header(headers, "Authorization") or ""
    scope = re.search(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request", auth)
    service = scope.group(1) if scope else "unsigned"
    target = header(headers, "X-Amz-Target")
    if target:
        return f"{service}:{target.split('.')[-1]}"
    body = entry.get("body") or ""
    if entry.get("body_encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    url = urllib.parse.urlsplit(entry.get("url", ""))
    form = urllib.parse.parse_qs(body) if isinstance(body, str) else {}
    query = urllib.parse.parse_qs(url.query)
    action = (form.get("Action") or query.get("Action") or [None])[0]
    if action:
        return f"{service}:{action}"
    method = entry.get("method", "?")
    reads = {"elasticfilesystem": EFS_READS, "route53": ROUTE53_READS}.get(service, [])
    if method == "GET":
        for pattern, name in reads:
            if re.match(pattern, url.path):
                return f"{service}:{name}"
    return f"{service}:{method} {url.path}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    args = parser.parse_args()
    url = args.endpoint.rstrip("/") + "/moto-api/recorder/download-recording"
    with urllib.request.urlopen(url) as response:
        text = response.read().decode("utf-8")
    actions = [action_of(json.loads(line)) for line in text.splitlines() if line.strip()]
    json.dump(actions, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
