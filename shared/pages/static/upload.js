// Evidence uploads from a ticket page: each chosen file goes straight to Cloud Storage through
// a resumable upload the media function opens, is checked, and its id joins the form.
(function () {
  "use strict";
  var config = document.getElementById("upload-config");
  if (!config) { return; }
  var media = config.dataset.media.replace(/\/$/, "");
  var link = config.dataset.link;

  function post(path) {
    return fetch(media + path, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Helpdesk-Link": link},
      body: JSON.stringify(arguments[1] || {})
    }).then(function (answer) {
      return answer.json().then(function (body) {
        if (!answer.ok) { throw new Error(body.error || answer.statusText); }
        return body;
      });
    });
  }

  function upload(file, form, list) {
    var item = document.createElement("li");
    item.textContent = file.name + ": " + config.dataset.uploading;
    list.appendChild(item);
    return post("/uploads", {filename: file.name, content_type: file.type, size: file.size})
      .then(function (started) {
        return fetch(started.upload_url, {method: "PUT", body: file}).then(function (put) {
          if (!put.ok) { throw new Error("upload failed (" + put.status + ")"); }
          return post("/uploads/" + started.upload_id + "/complete");
        });
      })
      .then(function (done) {
        var ids = form.elements.uploads;
        ids.value = ids.value ? ids.value + "," + done.upload_id : done.upload_id;
        item.textContent = file.name + " ✓";
        item.dataset.state = "accepted";
      })
      .catch(function (error) {
        item.textContent = file.name + ": " + error.message;
        item.dataset.state = "refused";
      });
  }

  document.querySelectorAll("input[data-upload-for]").forEach(function (input) {
    input.addEventListener("change", function () {
      var form = input.form;
      var button = form.querySelector("button[type=submit]");
      var list = form.querySelector("ul.uploads");
      button.disabled = true;
      Promise.all(Array.prototype.map.call(input.files, function (file) {
        return upload(file, form, list);
      })).then(function () { button.disabled = false; input.value = ""; });
    });
  });
})();
