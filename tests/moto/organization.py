#!/usr/bin/env python3
"""Builds an AWS Organization in a moto server through the AWS APIs (boto3).

Usage: organization.py --endpoint URL [--role NAME] [--empty N]

The caller (moto's default account 123456789012) creates the Organization and four member
accounts; in moto, `create_account` is instant and `assume_role` into any role ARN succeeds,
and what the assumed credentials create belongs to that role's account (moto keeps state per
account and Region). Members:

  healthy   the `healthy` estate of estates.py in us-east-1
  broken    `healthy` + `missing-az` in us-east-1: service `web-az` has a subnet in an AZ with no
            mount target
  locked    nothing; the tests answer its sts:AssumeRole with AccessDenied (deny_proxy.py)
  closed    closed after creation: SUSPENDED, so not an ACTIVE account
  empty-NN  `--empty N` more accounts with nothing in them (for the benchmark)

Prints one JSON object: {"management": ID, "healthy": ID, "broken": ID, "locked": ID,
"closed": ID}.
"""

import argparse
import json
import os
import sys

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import estates  # noqa: E402

MANAGEMENT = "123456789012"


def client(name, endpoint, region="us-east-1", creds=None):
    creds = creds or {"AccessKeyId": "testing", "SecretAccessKey": "testing"}
    return boto3.client(
        name,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds.get("SessionToken"),
    )


def member_clients(endpoint, account, role):
    sts = client("sts", endpoint)
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="org-setup"
    )["Credentials"]
    who = client("sts", endpoint, creds=creds).get_caller_identity()["Account"]
    assert who == account, f"assumed credentials act in {who}, not {account}"
    return {
        name: client(name, endpoint, creds=creds)
        for name in ("ec2", "efs", "ecs", "iam", "sts", "kms", "route53", "route53resolver")
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--role", default="efs-preflight-audit")
    parser.add_argument("--empty", type=int, default=0)
    args = parser.parse_args()

    org = client("organizations", args.endpoint)
    org.create_organization(FeatureSet="ALL")
    out = {"management": MANAGEMENT}
    for name in ("healthy", "broken", "locked", "closed"):
        status = org.create_account(AccountName=name, Email=f"{name}@example.com")
        out[name] = status["CreateAccountStatus"]["AccountId"]
    org.close_account(AccountId=out["closed"])
    for n in range(args.empty):
        org.create_account(AccountName=f"empty-{n:02}", Email=f"empty-{n:02}@example.com")

    healthy = estates.healthy(member_clients(args.endpoint, out["healthy"], args.role))
    c = member_clients(args.endpoint, out["broken"], args.role)
    broken = estates.healthy(c)
    estates.missing_az(c, broken)
    out["broken_subnet"] = broken["subnet_no_mount_target"]
    out["healthy_services"] = sorted(healthy["services"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
