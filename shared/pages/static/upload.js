// Evidence uploads from a ticket page, made for a weak signal at the far end of a plant.
//
// Each chosen file goes straight to Cloud Storage through a resumable upload session that the
// media function opens (https://cloud.google.com/storage/docs/performing-resumable-uploads):
// the bytes go in chunks of a multiple of 256 KiB; when the connection drops or the phone
// sleeps, the script asks the session how much it holds ("Content-Range: bytes */size") and
// goes on from there. The session is remembered in the browser for its life, so after a
// reload choosing the same file again goes on from where it stopped. After the bytes, the
// media function checks the file; its id joins the form. Refusals say why, in the page's
// language, and the form waits until the file is removed.
(function () {
  "use strict";
  var config = document.getElementById("upload-config");
  if (!config) { return; }
  var media = config.dataset.media.replace(/\/$/, "");
  var link = config.dataset.link;
  var texts = config.dataset;
  var reasons = {
    type: texts.uploadType, too_large: texts.uploadTooLarge, empty: texts.uploadEmpty,
    size_mismatch: texts.uploadSizeMismatch, not_uploaded: texts.uploadNotUploaded,
    filename: texts.uploadFilename, too_many_pixels: texts.uploadTooManyPixels,
    unreadable: texts.uploadUnreadable, quota: texts.uploadQuota,
    ticket_closed: texts.uploadTicketClosed, expired: texts.uploadExpired
  };

  var QUANTUM = 256 * 1024;         // every chunk but the last is a multiple of this
  var FIRST_CHUNK = 16 * QUANTUM;   // 4 MiB, then sized to take about TARGET_SECONDS
  var MIN_CHUNK = 2 * QUANTUM;      // 512 KiB: a drop on a bad signal loses little
  var MAX_CHUNK = 256 * QUANTUM;    // 64 MiB
  var TARGET_SECONDS = 8;
  var BACKOFF_SECONDS = [1, 2, 4, 8, 15, 30];  // automatic tries; then the person is asked
  var PARALLEL = 2;                 // files sent at once; the others wait their turn
  var KEEP_MS = 6 * 24 * 3600 * 1000;  // a session lives a week: forget it a day before
  var STORE_KEY = "helpdesk-uploads:" + config.dataset.ticket;

  function Refusal(reason) { this.reason = reason; }  // the help desk said no: say why
  function Dropped() {}                               // the connection failed: try again
  function Gone() {}                                  // the session no longer exists

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values[name] !== undefined ? values[name] : whole;
    });
  }

  // Sessions opened on this device, by file: a reload can resume them.
  var sessions = {
    all: function () {
      try {
        var found = JSON.parse(localStorage.getItem(STORE_KEY) || "{}");
        var now = Date.now();
        Object.keys(found).forEach(function (key) {
          if (now - found[key].saved > KEEP_MS) { delete found[key]; }
        });
        return found;
      } catch (ignored) { return {}; }
    },
    write: function (found) {
      try {
        if (Object.keys(found).length) { localStorage.setItem(STORE_KEY, JSON.stringify(found)); }
        else { localStorage.removeItem(STORE_KEY); }
      } catch (ignored) { /* private mode: no resume after a reload, nothing else lost */ }
    },
    get: function (key) { return this.all()[key] || null; },
    put: function (key, value) { var found = this.all(); found[key] = value; this.write(found); },
    drop: function (key) { var found = this.all(); delete found[key]; this.write(found); }
  };

  function post(path, body) {
    return fetch(media + path, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Helpdesk-Link": link},
      body: JSON.stringify(body || {})
    }).catch(function () { throw new Dropped(); }).then(function (answer) {
      return answer.json().catch(function () { return {}; }).then(function (payload) {
        if (answer.ok) { return payload; }
        if (answer.status === 401 || answer.status === 403) { throw new Refusal("closed"); }
        if (answer.status >= 500 || answer.status === 408) { throw new Dropped(); }
        throw new Refusal(payload.reason || "failed");
      });
    });
  }

  // One PUT to the session; resolves with how many bytes the session holds (or "done").
  function put(transfer, body, range) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      transfer.xhr = xhr;
      xhr.open("PUT", transfer.session.url);
      xhr.setRequestHeader("Content-Range", range);
      xhr.timeout = 120000;
      if (body) {
        var start = transfer.offset;
        xhr.upload.onprogress = function (event) { transfer.progress(start + event.loaded); };
      }
      xhr.onload = function () {
        if (xhr.status === 200 || xhr.status === 201) { resolve("done"); return; }
        if (xhr.status === 308) {
          var held = /bytes=0-(\d+)/.exec(xhr.getResponseHeader("Range") || "");
          resolve(held ? Number(held[1]) + 1 : 0);
          return;
        }
        if (xhr.status === 404 || xhr.status === 410) { reject(new Gone()); return; }
        reject(new Dropped());  // 5xx, 429, or a range the session did not expect: ask again
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { reject(new Dropped()); };
      xhr.send(body);
    });
  }

  function wait(seconds, transfer) {
    return new Promise(function (resolve) {
      var timer = setTimeout(done, seconds * 1000);
      function done() {
        clearTimeout(timer);
        window.removeEventListener("online", done);
        document.removeEventListener("visibilitychange", visible);
        transfer.wake = null;
        resolve();
      }
      function visible() { if (document.visibilityState === "visible") { done(); } }
      window.addEventListener("online", done);  // the signal is back: no need to wait more
      document.addEventListener("visibilitychange", visible);  // the phone woke up
      transfer.wake = done;
    });
  }

  function keyOf(form, file) {  // the same file for the same form, across reloads
    return [form.getAttribute("action"), file.name, file.size, file.lastModified].join("|");
  }

  function Transfer(file, form, list) {
    this.file = file;
    this.form = form;
    this.key = keyOf(form, file);
    this.session = null;
    this.offset = 0;
    this.chunk = FIRST_CHUNK;
    this.mustAsk = false;   // ask the session what it holds before sending more
    this.failures = 0;
    this.shownAt = 0;
    this.rate = null;       // bytes per second, smoothed
    this.item = document.createElement("li");
    this.label = document.createElement("span");
    this.bar = document.createElement("progress");
    this.bar.max = 100;
    this.bar.value = 0;
    this.item.appendChild(this.label);
    this.item.appendChild(this.bar);
    var hint = list.querySelector('li.unfinished[data-key="' + CSS.escape(this.key) + '"]');
    if (hint) { hint.remove(); }
    list.appendChild(this.item);
    removable(this.item, form, this);
    this.state("queued", texts.uploadQueued);
  }

  Transfer.prototype.state = function (state, text) {
    this.item.dataset.state = state;
    this.label.textContent = this.file.name + ": " + text;
    refresh(this.form);
  };

  Transfer.prototype.progress = function (sent) {
    var now = Date.now();
    if (this.lastSample) {
      var seconds = (now - this.lastSample.at) / 1000;
      if (seconds >= 0.5) {
        var rate = (sent - this.lastSample.sent) / seconds;
        this.rate = this.rate === null ? rate : 0.7 * this.rate + 0.3 * rate;
        this.lastSample = {at: now, sent: sent};
      }
    } else {
      this.lastSample = {at: now, sent: sent};
    }
    var percent = Math.min(100, Math.floor(sent * 100 / this.file.size));
    this.bar.value = percent;
    if ((now - this.shownAt < 250 || now < this.quietUntil) && percent < 100) { return; }
    this.shownAt = now;
    var text = fill(texts.uploadProgress, {percent: percent});
    if (this.rate > 0 && percent < 100) { text += " · " + timeLeft((this.file.size - sent) / this.rate); }
    this.item.dataset.state = "uploading";
    this.label.textContent = this.file.name + ": " + text;
  };

  function timeLeft(seconds) {
    if (seconds < 60) { return fill(texts.uploadLeftSeconds, {n: Math.max(1, Math.ceil(seconds))}); }
    if (seconds < 3600) { return fill(texts.uploadLeftMinutes, {n: Math.ceil(seconds / 60)}); }
    return fill(texts.uploadLeftHours, {n: Math.round(seconds / 3600)});
  }

  // Opens the session, or takes the one this device opened for the same file before.
  Transfer.prototype.open = function () {
    var transfer = this;
    var saved = sessions.get(this.key);
    if (saved) {
      this.session = saved;
      this.mustAsk = true;
      return Promise.resolve();
    }
    var file = this.file;
    return post("/uploads", {filename: file.name, content_type: file.type, size: file.size})
      .then(function (started) {
        transfer.session = {id: started.upload_id, url: started.upload_url, saved: Date.now(),
          name: file.name, form: transfer.form.getAttribute("action")};
        transfer.offset = 0;
        sessions.put(transfer.key, transfer.session);
      });
  };

  Transfer.prototype.send = async function () {
    var size = this.file.size;
    if (this.mustAsk) {
      var held = await put(this, null, "bytes */" + size);
      this.offset = held === "done" ? size : held;
      this.mustAsk = false;
      if (this.resuming && held !== "done" && held > 0) {
        var percent = Math.floor(held * 100 / size);
        this.bar.value = percent;
        this.state("uploading", fill(texts.uploadResuming, {percent: percent}));
        this.quietUntil = Date.now() + 3000;  // long enough to be read
      }
      this.resuming = false;
    }
    while (this.offset < size) {
      if (this.cancelled) { return; }
      var end = Math.min(this.offset + this.chunk, size);
      var began = Date.now();
      var range = "bytes " + this.offset + "-" + (end - 1) + "/" + size;
      var held = await put(this, this.file.slice(this.offset, end), range);
      this.failures = 0;
      if (held === "done") { this.offset = size; break; }
      var seconds = Math.max(0.05, (Date.now() - began) / 1000);
      var sent = held - this.offset;
      this.offset = held;
      if (sent > 0) {  // the next chunk should take about TARGET_SECONDS
        var fits = Math.floor(sent / seconds * TARGET_SECONDS / QUANTUM) * QUANTUM;
        this.chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, fits, this.chunk * 2));
      }
    }
    this.progress(size);
  };

  Transfer.prototype.check = function () {
    this.state("checking", texts.uploadChecking);
    return post("/uploads/" + this.session.id + "/complete");
  };

  Transfer.prototype.run = async function () {
    var restarted = false;
    this.resuming = Boolean(sessions.get(this.key));
    this.state("uploading", texts.uploading);
    for (;;) {
      if (this.cancelled) { return; }
      try {
        if (!this.session) { await this.open(); }
        if (this.cancelled) { sessions.drop(this.key); return; }  // removed while it opened
        await this.send();
        var done = await this.check();
        sessions.drop(this.key);
        this.item.dataset.uploadId = done.upload_id;
        this.bar.value = 100;
        this.state("accepted", "✓ " + texts.uploadAccepted);
        return;
      } catch (error) {
        if (this.cancelled) { return; }
        if (error instanceof Refusal) {
          sessions.drop(this.key);
          this.bar.remove();
          this.item.setAttribute("role", "alert");
          var text = error.reason === "closed" ? texts.uploadClosed
            : (reasons[error.reason] || texts.uploadFailed);
          if (reasons[error.reason]) { text += " " + texts.uploadRemoveToSend; }
          this.state("refused", text);
          return;
        }
        if (error instanceof Gone) {  // the session expired: one fresh start from zero
          sessions.drop(this.key);
          this.session = null;
          this.offset = 0;
          this.bar.value = 0;
          if (!restarted) { restarted = true; continue; }
        }
        this.mustAsk = Boolean(this.session);
        this.chunk = Math.max(MIN_CHUNK, Math.floor(this.chunk / 2 / QUANTUM) * QUANTUM);
        this.failures += 1;
        var percent = Math.floor(this.offset * 100 / this.file.size);
        if (this.failures <= BACKOFF_SECONDS.length && !(error instanceof Gone)) {
          this.state("uploading", fill(texts.uploadWaitingSignal, {percent: percent}));
          await wait(BACKOFF_SECONDS[this.failures - 1], this);
        } else {
          await this.stalled(percent);
          this.failures = 0;
          restarted = false;
        }
      }
    }
  };

  // It cannot go on by itself: say so, and go on when the person asks (or the signal is back).
  Transfer.prototype.stalled = function (percent) {
    var transfer = this;
    this.state("stalled", fill(texts.uploadStalled, {percent: percent}));
    this.item.setAttribute("role", "alert");
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "retry";
    retry.textContent = texts.uploadRetry;
    this.bar.after(retry);
    return new Promise(function (resolve) {
      function go() {
        window.removeEventListener("online", go);
        transfer.wake = null;
        retry.remove();
        transfer.item.removeAttribute("role");
        transfer.state("uploading", texts.uploading);
        resolve();
      }
      retry.addEventListener("click", go);
      window.addEventListener("online", go);
      transfer.wake = go;  // removing the file lets its turn go to the next one
    });
  };

  Transfer.prototype.cancel = function () {
    this.cancelled = true;
    this.finished = true;
    sessions.drop(this.key);
    if (this.xhr) { this.xhr.abort(); }
    if (this.wake) { this.wake(); }
  };

  var waiting = [];
  var running = 0;
  var active = {};  // key -> transfer not finished: one file chosen twice is sent once
  function next() {
    while (running < PARALLEL && waiting.length) {
      var transfer = waiting.shift();
      if (transfer.cancelled) { continue; }
      running += 1;
      transfer.run().then(function () { running -= 1; transfer.finished = true; next(); });
    }
  }

  function refresh(form) {
    var items = form.querySelectorAll("ul.uploads li:not(.unfinished)");
    var pending = Array.prototype.some.call(items, function (item) {
      return item.dataset.state !== "accepted";
    });
    form.querySelector("button[type=submit]").disabled = pending;
    var ids = Array.prototype.filter.call(items, function (item) {
      return item.dataset.state === "accepted";
    }).map(function (item) { return item.dataset.uploadId; });
    form.elements.uploads.value = ids.join(",");
  }

  function removable(item, form, transfer) {
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.textContent = texts.uploadRemove;
    remove.addEventListener("click", function () {
      if (transfer) { transfer.cancel(); }
      item.remove();
      refresh(form);
    });
    item.appendChild(document.createTextNode(" "));
    item.appendChild(remove);
  }

  // Uploads this device left half done (a reload, a closed tab): ask for the same file again.
  function unfinished(form, list) {
    var found = sessions.all();
    Object.keys(found).forEach(function (key) {
      if (found[key].form !== form.getAttribute("action")) { return; }
      var hint = document.createElement("li");
      hint.className = "unfinished";
      hint.dataset.key = key;
      var text = document.createElement("span");
      text.textContent = fill(texts.uploadUnfinished, {name: found[key].name});
      hint.appendChild(text);
      list.appendChild(hint);
      var forget = document.createElement("button");
      forget.type = "button";
      forget.className = "remove";
      forget.textContent = texts.uploadRemove;
      forget.addEventListener("click", function () { sessions.drop(key); hint.remove(); });
      hint.appendChild(document.createTextNode(" "));
      hint.appendChild(forget);
    });
  }

  document.querySelectorAll("input[data-upload-for]").forEach(function (input) {
    var form = input.form;
    var list = form.querySelector("ul.uploads");
    // Files accepted before the form was refused come back with it: they can be removed too.
    list.querySelectorAll("li").forEach(function (item) { removable(item, form, null); });
    unfinished(form, list);
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      input.value = "";
      files.forEach(function (file) {
        var key = keyOf(form, file);
        if (active[key] && !active[key].finished) { return; }  // already on its way
        var transfer = new Transfer(file, form, list);
        active[key] = transfer;
        waiting.push(transfer);
      });
      next();
    });
    form.addEventListener("submit", function (event) {
      if (form.querySelector("button[type=submit]").disabled) { event.preventDefault(); }
    });
  });
})();
