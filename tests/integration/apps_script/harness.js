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

const UrlFetchApp = {
  fetch: (url, options) => {
    const body = path.join(work, 'body');
    const answer = path.join(work, 'answer');
    const payload = Array.isArray(options.payload)
      ? fromSigned(options.payload) : Buffer.from(options.payload || '', 'utf8');
    fs.writeFileSync(body, payload);
    const args = ['-s', '-o', answer, '-w', '%{http_code}', '-X', options.method.toUpperCase(),
      '--data-binary', '@' + body, '-H', 'Content-Type: ' + options.contentType];
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
    calls.push({ method: options.method.toUpperCase(), url: url, status: status });
    const text = fs.existsSync(answer) ? fs.readFileSync(answer, 'utf8') : '';
    return { getResponseCode: () => status, getContentText: () => text };
  },
};

const DriveApp = {
  getFileById: (id) => {
    const file = scenario.files[id];
    const data = Buffer.from(file.base64, 'base64');
    return {
      getName: () => file.name,
      getMimeType: () => file.mimeType,
      getSize: () => data.length,
      getBlob: () => ({ getBytes: () => toSigned(data) }),
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

const context = vm.createContext({ PropertiesService, Utilities, UrlFetchApp, DriveApp, FormApp });
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
