/**
 * Help desk: send each Google Form response to the intake function, signed.
 *
 * Installed on the form (Extensions > Apps Script), with an "On form submit" trigger calling
 * onFormSubmit. Script properties (Project settings > Script properties):
 *   HELPDESK_INTAKE_URL  the intake function's URL
 *   HELPDESK_MEDIA_URL   the media function's URL (evidence files)
 *   HELPDESK_SECRET      this client's HMAC secret (the "google-forms" intake client)
 *   HELPDESK_MAPPING     the JSON that `python -m tools.google_form` wrote
 *
 * The response's id is the submission id: a response sent twice (a retry after a timeout)
 * opens one ticket. Files answered in the form's file-upload question are announced with the
 * ticket, then sent straight to Cloud Storage through the upload URLs intake answers with,
 * and checked by the media function. Nothing is lost when the help desk is briefly down: the
 * response is kept in the script's properties and sent again by retryPending (a time trigger).
 *
 * Apps Script carries at most 50 MB in a request (and cannot even load a larger file as a
 * blob), while a form accepts videos of up to 1 GB. So a file up to ONE_REQUEST_BYTES goes in
 * one PUT; a larger one is read from Drive by ranges and sent in CHUNK_BYTES chunks of the
 * resumable session, which a later run (retryPending, after the 6-minute limit or an error)
 * asks for what it holds and continues from there.
 */

var ONE_REQUEST_BYTES = 32 * 1024 * 1024;
var CHUNK_BYTES = 32 * 1024 * 1024; // a multiple of 256 KiB, under the 50 MB of a request

var SIGNATURE_HEADER = 'X-Helpdesk-Signature';
var CLIENT = 'google-forms'; // the intake client this script signs as
var PENDING_PREFIX = 'pending:';

function onFormSubmit(event) {
  var response = event.response;
  var settings = helpdeskSettings_();
  var submission = buildSubmission_(response, settings.mapping);
  var files = evidenceFiles_(response, settings.mapping);
  submission.attachments = files.map(function (file) {
    return { filename: file.getName(), content_type: file.getMimeType(), size: file.getSize() };
  });
  PropertiesService.getScriptProperties().setProperty(
    PENDING_PREFIX + response.getId(), JSON.stringify(submission));
  send_(settings, submission, files);
  PropertiesService.getScriptProperties().deleteProperty(PENDING_PREFIX + response.getId());
}

/** A time-driven trigger (every 10 minutes) sends again what could not be sent. */
function retryPending() {
  var settings = helpdeskSettings_();
  var properties = PropertiesService.getScriptProperties().getProperties();
  Object.keys(properties).forEach(function (key) {
    if (key.indexOf(PENDING_PREFIX) !== 0) return;
    var submission = JSON.parse(properties[key]);
    var form = FormApp.getActiveForm();
    var response = form.getResponse(key.substring(PENDING_PREFIX.length));
    send_(settings, submission, evidenceFiles_(response, settings.mapping));
    PropertiesService.getScriptProperties().deleteProperty(key);
  });
}

function helpdeskSettings_() {
  var properties = PropertiesService.getScriptProperties();
  return {
    intakeUrl: properties.getProperty('HELPDESK_INTAKE_URL'),
    mediaUrl: properties.getProperty('HELPDESK_MEDIA_URL'),
    secret: properties.getProperty('HELPDESK_SECRET'),
    mapping: JSON.parse(properties.getProperty('HELPDESK_MAPPING'))
  };
}

/** The intake contract's body, from the response's answers and the builder's mapping. */
function buildSubmission_(response, mapping) {
  var submission = {
    submission_id: response.getId(),
    source: 'google-forms',
    type: mapping.type,
    policy: mapping.policy,
    title: '',
    description: '',
    requester: { email: response.getRespondentEmail() },
    submitted_at: response.getTimestamp().toISOString(),
    fields: {}
  };
  response.getItemResponses().forEach(function (answer) {
    var title = answer.getItem().getTitle();
    var value = answer.getResponse();
    if (title === mapping.title_item) {
      submission.title = String(value);
    } else if (title === mapping.description_item) {
      submission.description = String(value);
    } else if (mapping.fields[title]) {
      var field = mapping.fields[title];
      if (field.choices) {
        value = field.choices[value] !== undefined ? field.choices[value] : value;
      } else if (field.type === 'number' && value !== '') {
        value = Number(String(value).replace(',', '.'));
      }
      submission.fields[field.field] = value;
      if (field.type === 'asset') submission.asset = value;
    }
  });
  return submission;
}

/** The Drive files answered in the evidence (file-upload) question. */
function evidenceFiles_(response, mapping) {
  var files = [];
  response.getItemResponses().forEach(function (answer) {
    if (answer.getItem().getTitle() !== mapping.evidence_item) return;
    [].concat(answer.getResponse()).forEach(function (fileId) {
      files.push(DriveApp.getFileById(fileId));
    });
  });
  return files;
}

function send_(settings, submission, files) {
  var ticket = postSigned_(settings.intakeUrl, '/', settings.secret, submission);
  (ticket.uploads || []).forEach(function (upload, index) {
    if (upload.state !== 'pending') return; // already sent by an earlier attempt
    var file = files[index];
    if (file.getSize() <= ONE_REQUEST_BYTES) {
      var put = UrlFetchApp.fetch(upload.upload_url, {
        method: 'put',
        contentType: file.getMimeType(),
        payload: file.getBlob().getBytes(),
        muteHttpExceptions: true
      });
      if (put.getResponseCode() >= 300) {
        throw new Error('upload of ' + file.getName() + ' failed: ' + put.getResponseCode());
      }
    } else {
      sendInChunks_(upload.upload_url, file);
    }
    var path = '/uploads/' + upload.upload_id + '/complete';
    postSigned_(settings.mediaUrl, path, settings.secret, { ticket_id: ticket.id }, [200, 422]);
  });
  return ticket;
}

/**
 * A large file, chunk by chunk: each range is read from Drive (the Drive API, with the script's
 * own token) and PUT to the session with its Content-Range. The session says what it holds
 * (308 and its Range header), so a run that stopped half way goes on from there.
 */
function sendInChunks_(sessionUrl, file) {
  var size = file.getSize();
  var offset = held_(sessionUrl, size, putChunk_(sessionUrl, null, 'bytes */' + size));
  while (offset < size) {
    var last = Math.min(offset + CHUNK_BYTES, size) - 1;
    var read = UrlFetchApp.fetch(
      'https://www.googleapis.com/drive/v3/files/' + file.getId() + '?alt=media&supportsAllDrives=true',
      {
        headers: { Authorization: 'Bearer ' + ScriptApp.getOAuthToken(), Range: 'bytes=' + offset + '-' + last },
        muteHttpExceptions: true
      });
    if (read.getResponseCode() !== 206 && read.getResponseCode() !== 200) {
      throw new Error('reading ' + file.getName() + ' from Drive failed: ' + read.getResponseCode());
    }
    var range = 'bytes ' + offset + '-' + last + '/' + size;
    offset = held_(sessionUrl, size, putChunk_(sessionUrl, read.getContent(), range));
  }
}

function putChunk_(sessionUrl, bytes, range) {
  var options = { method: 'put', headers: { 'Content-Range': range }, muteHttpExceptions: true };
  if (bytes) options.payload = bytes;
  return UrlFetchApp.fetch(sessionUrl, options);
}

/** How many bytes the session holds after an answer: all (200, 201) or its Range (308). */
function held_(sessionUrl, size, answer) {
  var status = answer.getResponseCode();
  if (status === 200 || status === 201) return size;
  if (status !== 308) throw new Error('the upload session answered ' + status);
  var range = answer.getHeaders()['Range'] || answer.getHeaders()['range'] || '';
  var match = /bytes=0-(\d+)/.exec(range);
  return match ? Number(match[1]) + 1 : 0;
}

/**
 * POST a JSON body to `path` of a function, signed as the help desk expects: HMAC-SHA256 over
 * "<unix time>.POST.<path>.<client>.<body>", so that a captured request cannot be replayed
 * against another endpoint or as another client.
 */
function postSigned_(baseUrl, path, secret, payload, accepted) {
  var url = baseUrl.replace(/\/$/, '') + path;
  var body = JSON.stringify(payload);
  var timestamp = Math.floor(Date.now() / 1000);
  var signed = timestamp + '.POST.' + path + '.' + CLIENT + '.' + body;
  var digest = Utilities.computeHmacSha256Signature(
    Utilities.newBlob(signed).getBytes(),
    Utilities.newBlob(secret).getBytes());
  var signature = 't=' + timestamp + ',v2=' + toHex_(digest);
  var options = {
    method: 'post',
    contentType: 'application/json',
    payload: Utilities.newBlob(body).getBytes(), // exactly the bytes that were signed
    headers: { 'X-Helpdesk-Client': CLIENT },
    muteHttpExceptions: true
  };
  options.headers[SIGNATURE_HEADER] = signature;
  var answer = UrlFetchApp.fetch(url, options);
  var status = answer.getResponseCode();
  var ok = accepted ? accepted.indexOf(status) >= 0 : status === 200 || status === 201;
  if (!ok) {
    // 4xx: the response cannot become a ticket as it is (the answer names the field);
    // 5xx: the help desk is briefly down. Either way the response stays pending.
    throw new Error('help desk answered ' + status + ': ' + answer.getContentText());
  }
  return JSON.parse(answer.getContentText());
}

function toHex_(bytes) {
  return bytes.map(function (byte) {
    var value = (byte < 0 ? byte + 256 : byte).toString(16);
    return value.length === 1 ? '0' + value : value;
  }).join('');
}
