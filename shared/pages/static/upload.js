// Evidence uploads from a ticket page: each chosen file goes straight to Cloud Storage through
// a resumable upload the media function opens, is checked, and its id joins the form. A file
// that is refused says why, in the page's language, and the form waits until it is removed.
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

  function Refusal(reason) { this.reason = reason; }

  function post(path, body) {
    return fetch(media + path, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Helpdesk-Link": link},
      body: JSON.stringify(body || {})
    }).then(function (answer) {
      return answer.json().catch(function () { return {}; }).then(function (payload) {
        if (answer.ok) { return payload; }
        if (answer.status === 401 || answer.status === 403) { throw new Refusal("closed"); }
        throw new Refusal(payload.reason || "failed");
      });
    });
  }

  function message(error) {
    if (error instanceof Refusal) {
      if (error.reason === "closed") { return texts.uploadClosed; }
      return reasons[error.reason] || texts.uploadFailed;
    }
    return texts.uploadNetwork;  // fetch itself failed: the connection dropped
  }

  function refresh(form) {
    var items = form.querySelectorAll("ul.uploads li");
    var waiting = Array.prototype.some.call(items, function (item) {
      return item.dataset.state !== "accepted";
    });
    form.querySelector("button[type=submit]").disabled = waiting;
    var ids = Array.prototype.filter.call(items, function (item) {
      return item.dataset.state === "accepted";
    }).map(function (item) { return item.dataset.uploadId; });
    form.elements.uploads.value = ids.join(",");
  }

  function removable(item, form) {
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.textContent = texts.uploadRemove;
    remove.addEventListener("click", function () {
      item.remove();
      refresh(form);
    });
    item.appendChild(document.createTextNode(" "));
    item.appendChild(remove);
  }

  function upload(file, form, list) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    label.textContent = file.name + ": " + texts.uploading;
    item.appendChild(label);
    item.dataset.state = "uploading";
    list.appendChild(item);
    refresh(form);
    return post("/uploads", {filename: file.name, content_type: file.type, size: file.size})
      .then(function (started) {
        return fetch(started.upload_url, {method: "PUT", body: file}).then(function (put) {
          if (!put.ok) { throw new Refusal("not_uploaded"); }
          return post("/uploads/" + started.upload_id + "/complete");
        });
      })
      .then(function (done) {
        label.textContent = file.name + " ✓ " + texts.uploadAccepted;
        item.dataset.state = "accepted";
        item.dataset.uploadId = done.upload_id;
      })
      .catch(function (error) {
        label.textContent = file.name + ": " + message(error);
        item.dataset.state = "refused";
        item.setAttribute("role", "alert");
      })
      .then(function () {
        removable(item, form);
        refresh(form);
      });
  }

  document.querySelectorAll("input[data-upload-for]").forEach(function (input) {
    var form = input.form;
    var list = form.querySelector("ul.uploads");
    // Files accepted before the form was refused come back with it: they can be removed too.
    list.querySelectorAll("li").forEach(function (item) { removable(item, form); });
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      input.value = "";
      files.forEach(function (file) { upload(file, form, list); });
    });
    form.addEventListener("submit", function (event) {
      if (form.querySelector("button[type=submit]").disabled) { event.preventDefault(); }
    });
  });
})();
