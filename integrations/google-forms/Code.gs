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
 */

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
    var put = UrlFetchApp.fetch(upload.upload_url, {
      method: 'put',
      contentType: file.getMimeType(),
      payload: file.getBlob().getBytes(),
      muteHttpExceptions: true
    });
    if (put.getResponseCode() >= 300) {
      throw new Error('upload of ' + file.getName() + ' failed: ' + put.getResponseCode());
    }
    var path = '/uploads/' + upload.upload_id + '/complete';
    postSigned_(settings.mediaUrl, path, settings.secret, { ticket_id: ticket.id }, [200, 422]);
  });
  return ticket;
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
