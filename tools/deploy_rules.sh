#!/usr/bin/env bash
# Publish firestore.rules through the Firebase Rules API (gcloud has no command for it):
# a new ruleset, then the `cloud.firestore` release pointed at it. Safe to run again.
#
#   tools/deploy_rules.sh PROJECT path/to/firestore.rules
set -euo pipefail
PROJECT="$1" RULES="$2"
API="https://firebaserules.googleapis.com/v1/projects/$PROJECT"
TOKEN="$(gcloud auth print-access-token)"
BODY="$(python3 -c 'import json, sys; print(json.dumps({"source": {"files": [
    {"name": "firestore.rules", "content": open(sys.argv[1]).read()}]}}))' "$RULES")"
RULESET="$(curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  "$API/rulesets" -d "$BODY" | python3 -c 'import json, sys; print(json.load(sys.stdin)["name"])')"
RELEASE="projects/$PROJECT/releases/cloud.firestore"
if ! curl -fsS -X PATCH -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  "$API/releases/cloud.firestore" \
  -d "{\"release\": {\"name\": \"$RELEASE\", \"rulesetName\": \"$RULESET\"}}" >/dev/null; then
  curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    "$API/releases" -d "{\"name\": \"$RELEASE\", \"rulesetName\": \"$RULESET\"}" >/dev/null
fi
echo "published $RULESET as $RELEASE"
