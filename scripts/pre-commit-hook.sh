#!/usr/bin/env bash
# pre-commit hook (.pre-commit-hooks.yaml): checks the staged task definitions, CloudFormation
# templates or Terraform plans (JSON) with `efs-preflight check`.
#
# Usage: pre-commit-hook.sh KIND [FLAG ... --] FILE ...
#   KIND: task-definition | cloudformation | terraform-plan
#   FLAGs (the hook's `args`, ended by `--`) go to every check, e.g. `--snapshot estate.json --`
#   to check offline against a saved snapshot, or `--cluster prod --service web --`.
# Files that are not of KIND (a YAML file that is no template, a JSON file that is no task
# definition) are skipped. Exit status: the highest of the checks' (0 ok, 1 findings, 2 bad input,
# 3 AWS unreadable).
set -uo pipefail

kind="${1:-}"
shift || true
case "$kind" in
  task-definition) flag=--task-definition; looks_like='"containerDefinitions"' ;;
  cloudformation) flag=--cloudformation; looks_like='AWS::ECS::(TaskDefinition|Service)' ;;
  terraform-plan) flag=--terraform-plan; looks_like='"(planned_values|resource_changes)"' ;;
  *) echo "efs-preflight hook: unknown kind '$kind' (task-definition, cloudformation, terraform-plan)" >&2; exit 2 ;;
esac

flags=()
files=()
if printf '%s\n' "$@" | grep -qx -- '--'; then
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do flags+=("$1"); shift; done
  shift
fi
files=("$@")

bin="${EFS_PREFLIGHT:-efs-preflight}"
if ! command -v "$bin" > /dev/null 2>&1; then
  echo "efs-preflight hook: '$bin' is not on PATH; install it with: cargo install --locked --git <this repository's URL> efs-preflight" >&2
  exit 2
fi

status=0
for file in "${files[@]}"; do
  grep -Eq -- "$looks_like" "$file" 2> /dev/null || continue
  echo "efs-preflight: $file" >&2
  "$bin" check "$flag" "$file" "${flags[@]}"
  code=$?
  if [ "$code" -gt "$status" ]; then status=$code; fi
done
exit "$status"
