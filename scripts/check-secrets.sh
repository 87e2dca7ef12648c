#!/usr/bin/env bash
# Fails when a tracked file looks like it holds a real secret: an assignment to a
# password/secret/token name of 12+ characters. Allowed: .env.example placeholders, the dev
# compose overrides (throwaway values, by design) and documentation.
set -euo pipefail
cd "$(dirname "$0")/.."
hits=$(git grep -nIiE '(password|passwd|secret|token|_pass)[A-Za-z_]*[[:space:]]*[:=][[:space:]]*["'\'']?[A-Za-z0-9+/_-]{12,}' -- . \
  ':!*.env.example' ':!*compose.dev.yml' ':!*.md' ':!scripts/check-secrets.sh' \
  | grep -viE -e "(:'[a-z_]+')|scram-sha-256|changeme|example|placeholder" -e '[$][{(]|_FILE' || true)
if [ -n "$hits" ]; then
  echo "check-secrets: these lines look like committed secrets (move them to .env or *_FILE):"
  echo "$hits"
  exit 1
fi
echo "check-secrets: no committed secrets in $(git ls-files | wc -l) tracked files"
