#!/usr/bin/env bash
# Deploy the help desk to a Google Cloud project with gcloud. Running it twice changes nothing:
# every resource is described first and created only when missing; deploys are updates.
#
#   ./deploy.sh --project PROJECT [--region southamerica-east1] [--bucket NAME]
#               [--mail-from central@example.com] [--dry-run]
#               [--mail-auth oauth-token|smtp-relay|delegation]  (default: oauth-token)
#               [--form-url https://forms.gle/...]  (told to people the mailbox does not know)
#               [--time-zone America/Sao_Paulo]  (when the day's digests are planned, at 00:05)
#               [--console-client-id ID.apps.googleusercontent.com]  (the console's sign-in)
#
# With --dry-run every command is printed instead of run (and nothing is asked of Google).
# With --stage-only the functions' bundles are built (in build/, or --build-dir) and nothing
# else happens.
# Secrets are created empty; add their values with `gcloud secrets versions add`:
#   helpdesk-intake-clients  (HELPDESK_INTAKE_CLIENTS JSON), helpdesk-link-secret,
#   helpdesk-manager-keys    (HELPDESK_MANAGER_KEYS JSON)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")" && pwd)"
PROJECT="" REGION="southamerica-east1" BUCKET="" MAIL_FROM="" DRY_RUN=0 STAGE_ONLY=0 BUILD="$ROOT/build"
MAIL_AUTH="oauth-token" FORM_URL="" TIME_ZONE="America/Sao_Paulo" CONSOLE_CLIENT_ID=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --project) PROJECT="$2"; shift 2 ;;
    --region) REGION="$2"; shift 2 ;;
    --bucket) BUCKET="$2"; shift 2 ;;
    --mail-from) MAIL_FROM="$2"; shift 2 ;;
    --mail-auth) MAIL_AUTH="$2"; shift 2 ;;
    --form-url) FORM_URL="$2"; shift 2 ;;
    --time-zone) TIME_ZONE="$2"; shift 2 ;;
    --console-client-id) CONSOLE_CLIENT_ID="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --stage-only) STAGE_ONLY=1; shift ;;
    --build-dir) BUILD="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
# The runtime is python311: bytecode shipped in the bundles must come from a Python 3.11.
RUNTIME_PYTHON="$(command -v python3.11 || true)"
# Babel compiles the texts into each bundle: the project's environment has it (make deps).
BABEL_PYTHON="$ROOT/.venv/bin/python"
[[ -x "$BABEL_PYTHON" ]] || BABEL_PYTHON="$(command -v python3)"
if [[ -z "$RUNTIME_PYTHON" ]]; then
  echo "warning: no python3.11 here; bundles ship without bytecode (slower cold starts)" >&2
fi
BUCKET="${BUCKET:-$PROJECT-helpdesk-evidence}"
if [[ -z "$MAIL_FROM" && $DRY_RUN -eq 0 && $STAGE_ONLY -eq 0 ]]; then
  echo "--mail-from is required: the help desk's own mailbox (central@your-domain)" >&2; exit 2
fi
MAIL_FROM="${MAIL_FROM:-helpdesk@example.com}"
QUEUE="sla-timers"
QUEUE_PATH="projects/$PROJECT/locations/$REGION/queues/$QUEUE"

# Run a command, or print it with --dry-run.
run() {
  if [[ $DRY_RUN -eq 1 ]]; then printf '%q ' "$@"; echo; else "$@"; fi
}

# Create something only when describing it fails (idempotent creation).
ensure() {
  local describe="$1"; shift
  if [[ $DRY_RUN -eq 1 ]]; then run "$@"; return; fi
  if ! eval "$describe" >/dev/null 2>&1; then "$@"; fi
}

sa() { echo "helpdesk-$1@$PROJECT.iam.gserviceaccount.com"; }

url_of() {
  if [[ $DRY_RUN -eq 1 ]]; then echo "https://$REGION-$PROJECT.cloudfunctions.net/$1"; return; fi
  gcloud functions describe "$1" --gen2 --project="$PROJECT" --region="$REGION" \
    --format='value(serviceConfig.uri)' 2>/dev/null || echo "https://$REGION-$PROJECT.cloudfunctions.net/$1"
}

# A function's bundle: its entry point as main.py, shared/, requirements.txt, and the bytecode
# of both compiled for the runtime (python311). A new instance then reads bytecode instead of
# compiling the modules it imports (about 0.1 s of a cold start). The checked-hash bytecode stays
# valid whatever the upload does to file times, and is ignored if a source ever differs.
# gcloud's default ignore list would drop __pycache__/: the bundle brings its own.
stage() {
  local name="$1" dir="$BUILD/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$ROOT/functions/$name.py" "$dir/main.py"
  cp -r "$ROOT/shared" "$dir/shared"
  find "$dir" -name __pycache__ -prune -exec rm -rf {} +
  # The texts, compiled (the functions read the .mo; the .po stay in the repository).
  "$BABEL_PYTHON" -m babel.messages.frontend -q compile -d "$dir/shared/texts/locales" -D helpdesk
  find "$dir/shared/texts" \( -name '*.po' -o -name '*.pot' \) -delete
  cp "$ROOT/requirements.txt" "$dir/requirements.txt"
  printf '%s\n' .gcloudignore >"$dir/.gcloudignore"
  if [[ -n "$RUNTIME_PYTHON" ]]; then
    "$RUNTIME_PYTHON" -m compileall -q --invalidation-mode checked-hash "$dir" >&2
  fi
  echo "$dir"
}

if [[ $STAGE_ONLY -eq 1 ]]; then
  for name in "$ROOT"/functions/*.py; do stage "$(basename "$name" .py)"; done
  exit 0
fi
[[ -n "$PROJECT" ]] || { echo "usage: $0 --project PROJECT [--region R] [--dry-run]" >&2; exit 2; }

# --- APIs -------------------------------------------------------------------------------------
run gcloud services enable --project="$PROJECT" \
  cloudfunctions.googleapis.com run.googleapis.com cloudbuild.googleapis.com \
  artifactregistry.googleapis.com eventarc.googleapis.com firestore.googleapis.com \
  cloudtasks.googleapis.com secretmanager.googleapis.com iamcredentials.googleapis.com \
  storage.googleapis.com gmail.googleapis.com firebaserules.googleapis.com \
  cloudscheduler.googleapis.com drive.googleapis.com pubsub.googleapis.com

# --- Firestore, bucket, queue, secrets --------------------------------------------------------
ensure "gcloud firestore databases describe --project=$PROJECT" \
  gcloud firestore databases create --project="$PROJECT" --location="$REGION" --type=firestore-native

ensure "gcloud storage buckets describe gs://$BUCKET --project=$PROJECT" \
  gcloud storage buckets create "gs://$BUCKET" --project="$PROJECT" --location="$REGION" \
  --uniform-bucket-level-access --public-access-prevention
run gcloud storage buckets update "gs://$BUCKET" --project="$PROJECT" \
  --lifecycle-file="$ROOT/config/bucket-lifecycle.json"

ensure "gcloud tasks queues describe $QUEUE --project=$PROJECT --location=$REGION" \
  gcloud tasks queues create "$QUEUE" --project="$PROJECT" --location="$REGION"
run gcloud tasks queues update "$QUEUE" --project="$PROJECT" --location="$REGION" \
  --max-attempts=100 --min-backoff=1s --max-backoff=300s --max-doublings=8 \
  --max-dispatches-per-second=50

MAIL_SECRETS="" MAILBOX_SECRETS="helpdesk-gmail-token"  # the mailbox is read with its own consent
case "$MAIL_AUTH" in
  oauth-token) MAIL_SECRETS="helpdesk-gmail-token" ;;  # the help desk mailbox's own consent
  smtp-relay) MAIL_SECRETS="helpdesk-smtp-password" ;;  # the mailbox's app password
  delegation) MAILBOX_SECRETS="" ;;  # opt-in: domain-wide delegation, reaching every mailbox
  *) echo "--mail-auth must be oauth-token, smtp-relay or delegation" >&2; exit 2 ;;
esac
ALL_SECRETS="$(printf '%s\n' helpdesk-intake-clients helpdesk-link-secret helpdesk-manager-keys \
  $MAIL_SECRETS $MAILBOX_SECRETS | sort -u | tr '\n' ' ')"
for secret in $ALL_SECRETS; do
  ensure "gcloud secrets describe $secret --project=$PROJECT" \
    gcloud secrets create "$secret" --project="$PROJECT" --replication-policy=automatic
done

# --- one service account per function, with only what it needs -------------------------------
FUNCTIONS=(intake notifications sla-scheduler sla-timer pages media out-of-sla assets reports)
FUNCTIONS+=(mailbox mailbox-watch digest console)
for name in "${FUNCTIONS[@]}" tasks-invoker; do
  ensure "gcloud iam service-accounts describe $(sa "$name") --project=$PROJECT" \
    gcloud iam service-accounts create "helpdesk-$name" --project="$PROJECT" \
    --display-name="Help desk: $name"
done

grant_project() {  # role for a service account on the project
  run gcloud projects add-iam-policy-binding "$PROJECT" --member="serviceAccount:$(sa "$1")" \
    --role="$2" --condition=None --quiet
}
for name in "${FUNCTIONS[@]}"; do  # out_of_sla only reads
  role=roles/datastore.user
  [[ "$name" == out-of-sla ]] && role=roles/datastore.viewer
  grant_project "$name" "$role"
done
for name in notifications sla-scheduler mailbox; do
  grant_project "$name" roles/eventarc.eventReceiver
done
# intake queues the fetch of an AppSheet row's Drive photos (for media)
# (the digest fans out one task per person; the console queues a long period's report)
for name in intake sla-scheduler sla-timer reports digest console; do
  grant_project "$name" roles/cloudtasks.enqueuer
done
grant_project pages roles/logging.logWriter

# The bucket, by prefix: evidence under tickets/, rendered reports under reports/. Each account
# reaches only its prefix (an IAM condition on the object's name); none lists the bucket.
grant_bucket() {  # function, role, prefix
  run gcloud storage buckets add-iam-policy-binding "gs://$BUCKET" \
    --member="serviceAccount:$(sa "$1")" --role="$2" \
    --condition="expression=resource.name.startsWith('projects/_/buckets/$BUCKET/objects/$3/'),title=$1-$3-only"
}
grant_bucket intake roles/storage.objectCreator tickets   # opens upload sessions for a form's files
grant_bucket media roles/storage.objectAdmin tickets      # checks, cleans, thumbnails, deletes
grant_bucket mailbox roles/storage.objectAdmin tickets    # a reply's files: the same checks
grant_bucket pages roles/storage.objectViewer tickets     # evidence shown through signed links
grant_bucket notifications roles/storage.objectViewer tickets  # thumbnails mailed, links signed
grant_bucket reports roles/storage.objectAdmin reports    # rendered reports, their links signed
grant_bucket console roles/storage.objectViewer reports   # a queued report's state, its links
# Signed links without key files: an account that signs does so as itself (IAM Credentials).
for name in pages notifications reports console; do
  run gcloud iam service-accounts add-iam-policy-binding "$(sa "$name")" --project="$PROJECT" \
    --member="serviceAccount:$(sa "$name")" --role=roles/iam.serviceAccountTokenCreator
done
for name in intake sla-scheduler sla-timer reports digest console; do  # tasks, invoker's token
  run gcloud iam service-accounts add-iam-policy-binding "$(sa tasks-invoker)" --project="$PROJECT" \
    --member="serviceAccount:$(sa "$name")" --role=roles/iam.serviceAccountUser
done

secret_access() {  # secret, function
  run gcloud secrets add-iam-policy-binding "$1" --project="$PROJECT" \
    --member="serviceAccount:$(sa "$2")" --role=roles/secretmanager.secretAccessor
}
secret_access helpdesk-intake-clients intake
secret_access helpdesk-intake-clients media
for name in notifications pages media reports mailbox digest console; do
  secret_access helpdesk-link-secret "$name"
done
for name in out-of-sla assets reports; do secret_access helpdesk-manager-keys "$name"; done
for secret in $MAIL_SECRETS; do  # the accounts that send mail (the mailbox answers, pages
  # send a fresh link when one has expired)
  for name in notifications reports mailbox pages digest; do secret_access "$secret" "$name"; done
done
for secret in $MAILBOX_SECRETS; do  # the accounts that read the mailbox or renew its watch
  for name in mailbox mailbox-watch; do
    [[ " $MAIL_SECRETS " == *" $secret "* && $name == mailbox ]] || secret_access "$secret" "$name"
  done
done

# --- Firestore indexes and rules --------------------------------------------------------------
python3 - "$ROOT/firestore.indexes.json" <<'PY' | while IFS= read -r fields; do
import json, sys
for index in json.load(open(sys.argv[1]))["indexes"]:
    flags = " ".join(
        f"--field-config=field-path={f['fieldPath']},"
        + ("array-config=contains" if "arrayConfig" in f else f"order={f['order'].lower()}")
        for f in index["fields"])
    print(f"{index['collectionGroup']} {flags}")
PY
  read -r -a parts <<<"$fields"
  if [[ $DRY_RUN -eq 1 ]]; then
    run gcloud firestore indexes composite create --project="$PROJECT" \
      --collection-group="${parts[0]}" --query-scope=COLLECTION "${parts[@]:1}" --async
  else  # an index that exists already is not an error
    gcloud firestore indexes composite create --project="$PROJECT" \
      --collection-group="${parts[0]}" --query-scope=COLLECTION "${parts[@]:1}" --async 2>&1 \
      | grep -v -i "already exists" || true
  fi
done
# Maps nothing queries inside (the report's rollups): no single-field indexes.
python3 - "$ROOT/firestore.indexes.json" <<'PY' | while read -r group field; do
import json, sys
for override in json.load(open(sys.argv[1])).get("fieldOverrides", []):
    if not override["indexes"]:
        print(override["collectionGroup"], override["fieldPath"])
PY
  run gcloud firestore indexes fields update "$field" --project="$PROJECT" \
    --collection-group="$group" --disable-indexes --async --quiet
done
run "$ROOT/tools/deploy_rules.sh" "$PROJECT" "$ROOT/firestore.rules"

# --- the functions ----------------------------------------------------------------------------
PAGES_URL="$(url_of pages)"
# The pages' script sends evidence in chunks to resumable sessions and reads each 308's Range.
CORS_FILE="$(mktemp)"
cat >"$CORS_FILE" <<CORS
[{"origin": ["${PAGES_URL%/}"], "method": ["GET", "HEAD", "PUT", "OPTIONS"],
  "responseHeader": ["Content-Type", "Content-Range", "Range", "X-Goog-Resumable"],
  "maxAgeSeconds": 3600}]
CORS
run gcloud storage buckets update "gs://$BUCKET" --project="$PROJECT" --cors-file="$CORS_FILE"
TIMER_URL="$(url_of sla_timer)"
MEDIA_URL="$(url_of media)"
REPORTS_URL="$(url_of reports)"
DIGEST_URL="$(url_of digest)"
COMMON="GOOGLE_CLOUD_PROJECT=$PROJECT,HELPDESK_EVIDENCE_BUCKET=$BUCKET"
COMMON="$COMMON,HELPDESK_PAGES_BASE_URL=$PAGES_URL,HELPDESK_MEDIA_URL=$MEDIA_URL"
COMMON="$COMMON,HELPDESK_TASKS_QUEUE=$QUEUE_PATH,HELPDESK_TIMER_URL=$TIMER_URL"
COMMON="$COMMON,HELPDESK_REPORTS_URL=$REPORTS_URL,HELPDESK_DIGEST_URL=$DIGEST_URL"
# Managers' and heads' e-mails link to their console.
COMMON="$COMMON,HELPDESK_CONSOLE_URL=$(url_of console)"
COMMON="$COMMON,HELPDESK_TIMER_INVOKER=$(sa tasks-invoker),HELPDESK_MAIL_FROM=$MAIL_FROM"
# Replies go to the help desk's own mailbox (the notifications' reply addresses; the mailbox).
COMMON="$COMMON,HELPDESK_MAILBOX=$MAIL_FROM"
# Mail goes out as the help desk's own mailbox, with a credential that reaches that mailbox
# only: its OAuth refresh token (default) or its app password on the Workspace SMTP relay.
# Domain-wide delegation (--mail-auth delegation) reaches every mailbox: an opt-in (README).
MAIL_ENV="" MAIL_SECRET_ENV=""
case "$MAIL_AUTH" in
  oauth-token)
    MAIL_ENV="HELPDESK_MAIL_TRANSPORT=gmail"
    MAIL_SECRET_ENV="HELPDESK_GMAIL_OAUTH_TOKEN=helpdesk-gmail-token:latest" ;;
  smtp-relay)
    MAIL_ENV="HELPDESK_MAIL_TRANSPORT=smtp,HELPDESK_SMTP_HOST=smtp-relay.gmail.com"
    MAIL_ENV="$MAIL_ENV,HELPDESK_SMTP_PORT=587,HELPDESK_SMTP_STARTTLS=true"
    MAIL_ENV="$MAIL_ENV,HELPDESK_SMTP_USERNAME=$MAIL_FROM"
    MAIL_SECRET_ENV="HELPDESK_SMTP_PASSWORD=helpdesk-smtp-password:latest" ;;
  delegation)
    MAIL_ENV="HELPDESK_MAIL_TRANSPORT=gmail,HELPDESK_GMAIL_DELEGATED_USER=$MAIL_FROM" ;;
esac

deploy_http() {  # function, service account, access (public|private), secrets
  local dir; dir="$(stage "$1")"
  local access=--allow-unauthenticated
  [[ "$3" == private ]] && access=--no-allow-unauthenticated
  run gcloud functions deploy "$1" --gen2 --project="$PROJECT" --region="$REGION" \
    --runtime=python311 --source="$dir" --entry-point="$1" --trigger-http "$access" \
    --service-account="$(sa "$2")" --set-env-vars="$COMMON${EXTRA_ENV:+,$EXTRA_ENV}" \
    ${4:+--set-secrets="$4"} --memory="${MEMORY:-512Mi}" --timeout=120s
}

deploy_event() {  # function, service account, secrets
  local dir; dir="$(stage "$1")"
  run gcloud functions deploy "$1" --gen2 --project="$PROJECT" --region="$REGION" \
    --runtime=python311 --source="$dir" --entry-point="$1" \
    --trigger-event-filters=type=google.cloud.firestore.document.v1.created \
    --trigger-event-filters=database='(default)' \
    --trigger-event-filters-path-pattern=document='ticket_events/{event}' \
    --trigger-location="$REGION" --trigger-service-account="$(sa "$2")" --retry \
    --service-account="$(sa "$2")" --set-env-vars="$COMMON${EXTRA_ENV:+,$EXTRA_ENV}" \
    ${3:+--set-secrets="$3"} --memory=512Mi --timeout=120s
}

# Intake, pages, media and the manager endpoints authenticate in the application (signatures,
# signed links, manager keys or Google ID tokens); the timer only answers Cloud Tasks.
deploy_http intake intake public "HELPDESK_INTAKE_CLIENTS=helpdesk-intake-clients:latest"
EXTRA_ENV="$MAIL_ENV" deploy_http pages pages public \
  "HELPDESK_LINK_SECRET=helpdesk-link-secret:latest${MAIL_SECRET_ENV:+,$MAIL_SECRET_ENV}"
# Photos are decoded to take their location out: a 48-megapixel iPhone HEIC re-encoded peaks at
# about 1.1 GB (measured), so media gets 2 GiB.
MEMORY=2Gi deploy_http media media public \
  "HELPDESK_LINK_SECRET=helpdesk-link-secret:latest,HELPDESK_INTAKE_CLIENTS=helpdesk-intake-clients:latest"
deploy_http out_of_sla out-of-sla public "HELPDESK_MANAGER_KEYS=helpdesk-manager-keys:latest"
deploy_http assets assets public "HELPDESK_MANAGER_KEYS=helpdesk-manager-keys:latest"
# The SLA report: managers (in the application) and its own queued jobs (the queue's OIDC token,
# checked in the application too); WeasyPrint needs the memory.
MEMORY=1Gi EXTRA_ENV="$MAIL_ENV" deploy_http reports reports public \
  "HELPDESK_MANAGER_KEYS=helpdesk-manager-keys:latest,HELPDESK_LINK_SECRET=helpdesk-link-secret:latest${MAIL_SECRET_ENV:+,$MAIL_SECRET_ENV}"
deploy_http sla_timer sla-timer private ""
run gcloud functions add-invoker-policy-binding sla_timer --project="$PROJECT" --region="$REGION" \
  --member="serviceAccount:$(sa tasks-invoker)"
EXTRA_ENV="$MAIL_ENV" deploy_event notifications notifications \
  "HELPDESK_LINK_SECRET=helpdesk-link-secret:latest${MAIL_SECRET_ENV:+,$MAIL_SECRET_ENV}"
deploy_event sla_scheduler sla-scheduler ""

# The daily digest: Cloud Scheduler plans the day's digests just after midnight; each goes out
# as a Cloud Task at the start of its person's first working interval. Only the invoker calls.
EXTRA_ENV="$MAIL_ENV" deploy_http digest digest private \
  "HELPDESK_LINK_SECRET=helpdesk-link-secret:latest${MAIL_SECRET_ENV:+,$MAIL_SECRET_ENV}"
run gcloud functions add-invoker-policy-binding digest --project="$PROJECT" --region="$REGION" \
  --member="serviceAccount:$(sa tasks-invoker)"
# The managers' console: public (each request signed in with Google, checked in the
# application); its OAuth client id is the console's own (README, "The managers' console").
CONSOLE_ENV="HELPDESK_WORKSPACE_DOMAIN=${MAIL_FROM#*@}"
CONSOLE_ENV="$CONSOLE_ENV${CONSOLE_CLIENT_ID:+,HELPDESK_CONSOLE_CLIENT_ID=$CONSOLE_CLIENT_ID}"
MEMORY=1Gi EXTRA_ENV="$CONSOLE_ENV" deploy_http console console public \
  "HELPDESK_LINK_SECRET=helpdesk-link-secret:latest"
DIGEST_JOB="helpdesk-daily-digest"
ensure "gcloud scheduler jobs describe $DIGEST_JOB --project=$PROJECT --location=$REGION" \
  gcloud scheduler jobs create http "$DIGEST_JOB" --project="$PROJECT" --location="$REGION" \
  --schedule="5 0 * * *" --time-zone="$TIME_ZONE" --http-method=POST \
  --uri="${DIGEST_URL%/}/start" --oidc-service-account-email="$(sa tasks-invoker)" \
  --oidc-token-audience="${DIGEST_URL%/}/start"

# The mailbox: Gmail's watch publishes the help desk mailbox's changes to a topic; its
# messages reach `mailbox` through Eventarc (retried until applied); Cloud Scheduler renews the
# watch daily (Gmail ends it after 7 days). https://developers.google.com/gmail/api/guides/push
MAILBOX_TOPIC="helpdesk-mailbox"
ensure "gcloud pubsub topics describe $MAILBOX_TOPIC --project=$PROJECT" \
  gcloud pubsub topics create "$MAILBOX_TOPIC" --project="$PROJECT"
run gcloud pubsub topics add-iam-policy-binding "$MAILBOX_TOPIC" --project="$PROJECT" \
  --member=serviceAccount:gmail-api-push@system.gserviceaccount.com --role=roles/pubsub.publisher
WATCH_URL="$(url_of mailbox_watch)"
MAILBOX_ENV="HELPDESK_MAILBOX_KIND=gmail,HELPDESK_MAILBOX_TOPIC=projects/$PROJECT/topics/$MAILBOX_TOPIC"
MAILBOX_ENV="$MAILBOX_ENV,HELPDESK_MAILBOX_WATCH_URL=$WATCH_URL${FORM_URL:+,HELPDESK_FORM_URL=$FORM_URL}"
MAILBOX_SECRET_ENV="HELPDESK_LINK_SECRET=helpdesk-link-secret:latest"
if [[ -n "$MAILBOX_SECRETS" ]]; then
  MAILBOX_SECRET_ENV="$MAILBOX_SECRET_ENV,HELPDESK_GMAIL_OAUTH_TOKEN=helpdesk-gmail-token:latest"
  [[ "$MAIL_AUTH" == smtp-relay ]] && MAILBOX_SECRET_ENV="$MAILBOX_SECRET_ENV,$MAIL_SECRET_ENV"
else
  MAILBOX_ENV="$MAILBOX_ENV,HELPDESK_GMAIL_DELEGATED_USER=$MAIL_FROM"
fi
MAILBOX_DIR="$(stage mailbox)"
# Photos and videos of a reply are checked as media checks uploads: the same memory.
run gcloud functions deploy mailbox --gen2 --project="$PROJECT" --region="$REGION" \
  --runtime=python311 --source="$MAILBOX_DIR" --entry-point=mailbox \
  --trigger-topic="$MAILBOX_TOPIC" --trigger-service-account="$(sa mailbox)" --retry \
  --service-account="$(sa mailbox)" --set-env-vars="$COMMON,$MAIL_ENV,$MAILBOX_ENV" \
  --set-secrets="$MAILBOX_SECRET_ENV" --memory=2Gi --timeout=300s
run gcloud functions add-invoker-policy-binding mailbox --project="$PROJECT" --region="$REGION" \
  --member="serviceAccount:$(sa mailbox)"
WATCH_SECRETS=""
[[ -n "$MAILBOX_SECRETS" ]] && WATCH_SECRETS="HELPDESK_GMAIL_OAUTH_TOKEN=helpdesk-gmail-token:latest"
run gcloud functions deploy mailbox_watch --gen2 --project="$PROJECT" --region="$REGION" \
  --runtime=python311 --source="$MAILBOX_DIR" --entry-point=mailbox_watch --trigger-http \
  --no-allow-unauthenticated --service-account="$(sa mailbox-watch)" \
  --set-env-vars="$COMMON,$MAILBOX_ENV" ${WATCH_SECRETS:+--set-secrets="$WATCH_SECRETS"} \
  --memory=256Mi --timeout=60s
run gcloud functions add-invoker-policy-binding mailbox_watch --project="$PROJECT" \
  --region="$REGION" --member="serviceAccount:$(sa tasks-invoker)"
WATCH_JOB="helpdesk-watch-mailbox"
ensure "gcloud scheduler jobs describe $WATCH_JOB --project=$PROJECT --location=$REGION" \
  gcloud scheduler jobs create http "$WATCH_JOB" --project="$PROJECT" --location="$REGION" \
  --schedule="7 6 * * *" --http-method=POST --uri="$WATCH_URL" \
  --oidc-service-account-email="$(sa tasks-invoker)" --oidc-token-audience="$WATCH_URL"
# A day's answer allowances, and the new links' allowances, expire on their own (Firestore TTL).
for group in mail_answer_allowances allowances console_sessions; do
  run gcloud firestore fields ttls update expires_at --project="$PROJECT" \
    --collection-group="$group" --enable-ttl --async --quiet
done

# Uploads never checked are deleted a day on: Cloud Scheduler calls media's sweep hourly with
# the invoker's OIDC token (checked in the application, like the report jobs).
SWEEP_JOB="helpdesk-sweep-uploads"
ensure "gcloud scheduler jobs describe $SWEEP_JOB --project=$PROJECT --location=$REGION" \
  gcloud scheduler jobs create http "$SWEEP_JOB" --project="$PROJECT" --location="$REGION" \
  --schedule="17 * * * *" --http-method=POST --uri="${MEDIA_URL%/}/sweep" \
  --oidc-service-account-email="$(sa tasks-invoker)" --oidc-token-audience="${MEDIA_URL%/}/sweep"

# The SLA report's rollups: Cloud Scheduler folds their quiet shards hourly (reports' fold, with
# the invoker's OIDC token, checked in the application like the report jobs).
FOLD_JOB="helpdesk-fold-rollups"
ensure "gcloud scheduler jobs describe $FOLD_JOB --project=$PROJECT --location=$REGION" \
  gcloud scheduler jobs create http "$FOLD_JOB" --project="$PROJECT" --location="$REGION" \
  --schedule="41 * * * *" --http-method=POST --uri="${REPORTS_URL%/}/rollups/fold" \
  --oidc-service-account-email="$(sa tasks-invoker)" \
  --oidc-token-audience="${REPORTS_URL%/}/rollups/fold"

# --- what only a person can do ------------------------------------------------------------------
client_id() {
  if [[ $DRY_RUN -eq 1 ]]; then echo "<uniqueId of $(sa "$1")>"; return; fi
  gcloud iam service-accounts describe "$(sa "$1")" --project="$PROJECT" --format='value(uniqueId)'
}
case "$MAIL_AUTH" in
  oauth-token) MAIL_STEP="The help desk mailbox's consent, once, signed in as $MAIL_FROM (scopes
     gmail.send, gmail.readonly and gmail.modify, which reads and labels the replies; README,
     \"Mail\"), stored as the secret helpdesk-gmail-token:
       gcloud auth application-default login --client-id-file=oauth-client.json \\
         --scopes=https://www.googleapis.com/auth/gmail.send,https://www.googleapis.com/auth/gmail.readonly,https://www.googleapis.com/auth/gmail.modify
       gcloud secrets versions add helpdesk-gmail-token --project=$PROJECT \\
         --data-file=\$HOME/.config/gcloud/application_default_credentials.json" ;;
  smtp-relay) MAIL_STEP="In the Workspace admin console, Gmail > Routing > SMTP relay service:
     allow SMTP authentication for $MAIL_FROM; store its app password as the secret
     helpdesk-smtp-password (gcloud secrets versions add ...)." ;;
  delegation) MAIL_STEP="Workspace admin console > Security > Access and data control > API controls >
     Domain-wide delegation > Add new, for each client ID, with the scopes
     https://www.googleapis.com/auth/gmail.send,https://www.googleapis.com/auth/gmail.readonly,https://www.googleapis.com/auth/gmail.modify
       notifications: $(client_id notifications)
       reports:       $(client_id reports)
       mailbox:       $(client_id mailbox)
       mailbox-watch: $(client_id mailbox-watch)
     (these accounts can then act as any mailbox of the domain: prefer oauth-token)." ;;
esac
cat <<NEXT

Next, by hand (once):
  1. Mail, sent as $MAIL_FROM (a real mailbox of the domain): $MAIL_STEP
  2. The secrets' values (gcloud secrets versions add ...): see README, "From an empty project".
  3. The organisation: FIRESTORE_EMULATOR_HOST= GOOGLE_CLOUD_PROJECT=$PROJECT \\
       .venv/bin/python -m tools.load_org my-organisation.yaml
  4. AppSheet photos: share the app's Drive folder, as Viewer, with $(sa media)
     and put its id in the appsheet client ("drive_folder"; integrations/appsheet/README.md).
  Intake: $(url_of intake)
NEXT
