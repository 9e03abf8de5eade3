#!/usr/bin/env bash
# Stage each Cloud Function as its own bundle and deploy it (2nd gen, Python 3.11).
#
#   ./deploy.sh --project PROJECT [--region REGION] [--dry-run]
#
# A bundle is the function's entry module as main.py, the shared/ package beside it and the
# pinned requirements: exactly what functions-framework serves locally. With --dry-run every
# gcloud command is printed instead of run. (The full deployment — service accounts, Eventarc,
# queue, bucket, secrets, rules and indexes — grows with the later issues.)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")" && pwd)"
PROJECT="" REGION="southamerica-east1" DRY_RUN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --project) PROJECT="$2"; shift 2 ;;
    --region) REGION="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[[ -n "$PROJECT" ]] || { echo "usage: $0 --project PROJECT [--region REGION] [--dry-run]" >&2; exit 2; }

run() {
  if [[ $DRY_RUN -eq 1 ]]; then printf '%q ' "$@"; echo; else "$@"; fi
}

stage() {
  local name="$1" dir="$ROOT/build/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$ROOT/functions/$name.py" "$dir/main.py"
  cp -r "$ROOT/shared" "$dir/shared"
  find "$dir" -name __pycache__ -prune -exec rm -rf {} +
  cp "$ROOT/requirements.txt" "$dir/requirements.txt"
  echo "$dir"
}

intake_dir="$(stage intake)"
run gcloud functions deploy intake --gen2 --project="$PROJECT" --region="$REGION" \
  --runtime=python311 --source="$intake_dir" --entry-point=intake --trigger-http \
  --allow-unauthenticated --service-account="helpdesk-intake@$PROJECT.iam.gserviceaccount.com" \
  --set-secrets="HELPDESK_INTAKE_CLIENTS=helpdesk-intake-clients:latest" \
  --set-env-vars="GOOGLE_CLOUD_PROJECT=$PROJECT"
