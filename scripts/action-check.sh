#!/usr/bin/env bash
# The `check` step of the GitHub Action (action.yml): turns the action's inputs (INPUT_* variables)
# into efs-preflight flags, writes a Markdown summary to $GITHUB_STEP_SUMMARY and a SARIF file,
# and records the exit code as the step output `exit-code` (the action's last step fails with it,
# after the SARIF upload).
set -uo pipefail

bin="${EFS_PREFLIGHT:-efs-preflight}"
args=()
single() { # FLAG VALUE, when VALUE is set
  if [ -n "$2" ]; then args+=("$1" "$2"); fi
}
multi() { # FLAG V for each whitespace-separated V (repeatable flags)
  local v
  for v in $2; do args+=("$1" "$v"); done
}
single --snapshot "${INPUT_SNAPSHOT:-}"
multi --cluster "${INPUT_CLUSTER:-}"
multi --service "${INPUT_SERVICE:-}"
single --task-definition "${INPUT_TASK_DEFINITION:-}"
single --subnets "${INPUT_SUBNETS:-}"
single --security-groups "${INPUT_SECURITY_GROUPS:-}"
single --platform-version "${INPUT_PLATFORM_VERSION:-}"
single --terraform-plan "${INPUT_TERRAFORM_PLAN:-}"
single --cloudformation "${INPUT_CLOUDFORMATION:-}"
multi --parameters "${INPUT_PARAMETERS:-}"
single --config "${INPUT_CONFIG:-}"
single --baseline "${INPUT_BASELINE:-}"
single --fail-on "${INPUT_FAIL_ON:-}"
multi --rule "${INPUT_RULE:-}"
multi --skip-rule "${INPUT_SKIP_RULE:-}"
single --region "${INPUT_REGION:-}"
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<< "$INPUT_ARGS"
  args+=("${extra[@]}")
fi

sarif="${INPUT_SARIF_FILE:-efs-preflight.sarif}"
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"

# The Markdown report goes to the job summary; its exit code is the gate.
"$bin" check "${args[@]}" --format markdown >> "$summary"
code=$?
# The SARIF report for code scanning (same findings; its exit code repeats the first).
if [ "$code" -le 1 ]; then
  "$bin" check "${args[@]}" --quiet --format sarif --output "$sarif" || true
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    if [ -f "$sarif" ]; then echo "sarif-file=$sarif"; fi
  } >> "$GITHUB_OUTPUT"
fi
echo "efs-preflight: exit code $code" >&2
exit 0
