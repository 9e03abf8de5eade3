// Runs the Google Form's Apps Script (integrations/google-forms/Code.gs) under Node with
// stand-ins for the Apps Script services. UrlFetchApp is synchronous in Apps Script, so its
// stand-in calls curl synchronously: every request reaches the real functions over HTTP.
//   node harness.js scenario.json   ->   {"calls": [...], "error": ..., "pending": [...]}
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const vm = require('vm');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const scenario = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const code = path.resolve(__dirname, '../../../integrations/google-forms/Code.gs');
const calls = [];
const properties = Object.assign({}, scenario.properties);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'apps-script-'));

// Apps Script byte arrays hold signed bytes (-128..127).
const toSigned = (buffer) => Array.from(buffer).map((b) => (b > 127 ? b - 256 : b));
const fromSigned = (bytes) => Buffer.from(bytes.map((b) => (b < 0 ? b + 256 : b)));

const PropertiesService = {
  getScriptProperties: () => ({
    getProperty: (key) => (key in properties ? properties[key] : null),
    setProperty: (key, value) => { properties[key] = String(value); },
    deleteProperty: (key) => { delete properties[key]; },
    getProperties: () => Object.assign({}, properties),
  }),
};

const Utilities = {
  newBlob: (text) => ({ getBytes: () => toSigned(Buffer.from(String(text), 'utf8')) }),
  computeHmacSha256Signature: (value, key) =>
    toSigned(crypto.createHmac('sha256', fromSigned(key)).update(fromSigned(value)).digest()),
};

// Apps Script's own limits: 50 MB in a request's payload or a response, and in a blob.
const LIMIT = 50 * 1024 * 1024;
const TOKEN = 'apps-script-oauth-token';
const DRIVE_API = 'https://www.googleapis.com/drive/v3/files/';
let chunksLeft = scenario.stopAfterChunks == null ? Infinity : scenario.stopAfterChunks;

// Byte arrays of Apps Script as signed bytes; large ones as a view, not a copy.
const asBytes = (buffer) => (buffer.length > 1024 * 1024
  ? new Int8Array(buffer.buffer, buffer.byteOffset, buffer.length) : toSigned(buffer));
const asBuffer = (payload) => {
  if (ArrayBuffer.isView(payload)) {
    return Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  }
  return Array.isArray(payload) ? fromSigned(payload) : Buffer.from(payload || '', 'utf8');
};

function fileData(file) {
  return file.path ? fs.readFileSync(file.path) : Buffer.from(file.base64, 'base64');
}

// The Drive API, as the script reads a file by ranges with its own OAuth token.
function driveApi(url, options) {
  const id = decodeURIComponent(url.slice(DRIVE_API.length).split('?')[0]);
  const file = scenario.files[id];
  const headers = options.headers || {};
  let status = 200;
  let content = Buffer.alloc(0);
  if (headers.Authorization !== 'Bearer ' + TOKEN) {
    status = 401;
  } else if (!file) {
    status = 404;
  } else {
    const size = file.path ? fs.statSync(file.path).size : fileData(file).length;
    const range = /bytes=(\d+)-(\d+)/.exec(headers.Range || '');
    const first = range ? Number(range[1]) : 0;
    const last = range ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (last - first + 1 > LIMIT) throw new Error('Exception: Response too large.');
    content = Buffer.alloc(last - first + 1);
    if (file.path) {
      const fd = fs.openSync(file.path, 'r');
      fs.readSync(fd, content, 0, content.length, first);
      fs.closeSync(fd);
    } else {
      fileData(file).copy(content, 0, first, last + 1);
    }
    status = range ? 206 : 200;
  }
  calls.push({ method: 'GET', url: url, status: status, bytes: content.length });
  return {
    getResponseCode: () => status,
    getContent: () => asBytes(content),
    getContentText: () => content.toString('utf8'),
    getHeaders: () => ({}),
  };
}

const UrlFetchApp = {
  fetch: (url, options) => {
    options = options || {};
    if (url.indexOf(DRIVE_API) === 0) return driveApi(url, options);
    const method = (options.method || 'get').toUpperCase();
    const payload = asBuffer(options.payload);
    if (payload.length > LIMIT) throw new Error('Exception: Payload too large (' + payload.length + ' bytes).');
    const range = (options.headers || {})['Content-Range'] || '';
    if (/^bytes \d/.test(range)) {  // a chunk: the run may hit its time limit before it
      if (chunksLeft <= 0) throw new Error('Exceeded maximum execution time');
      chunksLeft -= 1;
    }
    const body = path.join(work, 'body');
    const answer = path.join(work, 'answer');
    const heads = path.join(work, 'headers');
    fs.writeFileSync(body, payload);
    const args = ['-s', '-o', answer, '-D', heads, '-w', '%{http_code}', '-X', method,
      '--data-binary', '@' + body];
    if (options.contentType) args.push('-H', 'Content-Type: ' + options.contentType);
    Object.keys(options.headers || {}).forEach((name) => {
      args.push('-H', name + ': ' + options.headers[name]);
    });
    args.push(url);
    let status = 0;
    try {
      status = Number(execFileSync('curl', args).toString());
    } catch (error) {
      throw new Error('Address unavailable: ' + url); // what Apps Script says when down
    }
    calls.push({ method: method, url: url, status: status, bytes: payload.length });
    const text = fs.existsSync(answer) ? fs.readFileSync(answer, 'utf8') : '';
    const headers = {};
    (fs.existsSync(heads) ? fs.readFileSync(heads, 'utf8') : '').split('\r\n').forEach((line) => {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon)] = line.slice(colon + 1).trim();
    });
    return { getResponseCode: () => status, getContentText: () => text, getHeaders: () => headers };
  },
};

const ScriptApp = { getOAuthToken: () => TOKEN };

const DriveApp = {
  getFileById: (id) => {
    const file = scenario.files[id];
    const size = file.path ? fs.statSync(file.path).size : fileData(file).length;
    return {
      getId: () => id,
      getName: () => file.name,
      getMimeType: () => file.mimeType,
      getSize: () => size,
      getBlob: () => ({
        getBytes: () => {
          if (size > LIMIT) throw new Error('Exception: File ' + file.name + ' exceeds the maximum file size.');
          return toSigned(fileData(file));
        },
      }),
    };
  },
};

const response = {
  getId: () => scenario.response.id,
  getRespondentEmail: () => scenario.response.email,
  getTimestamp: () => new Date(scenario.response.timestamp),
  getItemResponses: () => scenario.response.answers.map((answer) => ({
    getItem: () => ({ getTitle: () => answer.title }),
    getResponse: () => answer.response,
  })),
};
const FormApp = { getActiveForm: () => ({ getResponse: () => response }) };

const context = vm.createContext({
  PropertiesService, Utilities, UrlFetchApp, DriveApp, FormApp, ScriptApp,
});
vm.runInContext(fs.readFileSync(code, 'utf8'), context, { filename: 'Code.gs' });

let error = null;
try {
  if (scenario.run === 'retryPending') context.retryPending();
  else context.onFormSubmit({ response: response });
} catch (caught) {
  error = caught.message;
}
console.log(JSON.stringify({
  calls: calls,
  error: error,
  properties: properties,
}));
