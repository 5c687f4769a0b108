/* lifelong_recitation: record or choose a file, listen back, submit; consent; gallery likes,
   plays and reports; staff feature/hide.  Everything shown comes from the server's answers. */
function LifelongRecitation(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  element = L.rootOf(element);
  var config = L.readConfig(element, args);
  var root = element.querySelector(".ll-recitation") || element;
  var strings = config.strings;
  L.bindComfort(runtime, element, root, config);
  L.bindProfile(runtime, element, root, strings);

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function sizeText(bytes) {
    return bytes >= 1000000 ? (Math.round(bytes / 100000) / 10) + " MB" : Math.max(1, Math.round(bytes / 1000)) + " KB";
  }

  /* ---- recording and submitting ---- */
  var form = root.querySelector("[data-ll-recorder]");
  if (form && config.signed_in) {
    var status = form.querySelector("[data-ll-status]");
    var recordButton = form.querySelector("[data-ll-record]");
    var timer = form.querySelector("[data-ll-timer]");
    var fileInput = form.querySelector("[data-ll-file]");
    var preview = form.querySelector("[data-ll-preview]");
    var previewAudio = form.querySelector("[data-ll-preview-audio]");
    var submit = form.querySelector("[data-ll-submit]");
    var pending = null;   /* {blob, name} */
    var previewUrl = null;

    var choose = function (blob, name, message) {
      if (previewUrl) { URL.revokeObjectURL(previewUrl); }
      pending = {blob: blob, name: name};
      previewUrl = URL.createObjectURL(blob);
      previewAudio.src = previewUrl;
      preview.hidden = false;
      if (blob.size > config.max_bytes) {
        submit.disabled = true;
        L.say(status, L.format(strings.too_big, {size: sizeText(blob.size), limit: sizeText(config.max_bytes)}), true);
        return;
      }
      submit.disabled = false;
      L.say(status, message);
    };

    var recorder = null;
    if (window.LifelongRecorder.supported()) {
      recorder = new window.LifelongRecorder(config.recording_types, {
        maxSeconds: config.max_seconds,
        onTick: function (seconds) {
          timer.textContent = L.format(strings.recording, {time: clock(seconds), limit: clock(config.max_seconds)});
        },
        onStop: function (blob, seconds, type) {
          recordButton.textContent = strings.record_again;
          recordButton.setAttribute("aria-pressed", "false");
          timer.textContent = "";
          fileInput.value = "";
          choose(blob, "recitation." + window.LifelongRecorder.extensionFor(type),
            L.format(strings.recorded, {time: clock(seconds)}));
        }
      });
      recordButton.hidden = false;
      recordButton.addEventListener("click", function () {
        if (recorder.recording()) { recorder.stop(); return; }
        recorder.start().then(function () {
          recordButton.textContent = strings.stop;
          recordButton.setAttribute("aria-pressed", "true");
          submit.disabled = true;
          L.say(status, L.format(strings.recording, {time: "0:00", limit: clock(config.max_seconds)}));
        }, function (error) {
          L.say(status, L.format(strings.no_microphone, {reason: (error && error.message) || ""}), true);
        });
      });
    } else {
      L.say(status, strings.no_recorder);
    }

    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (file) { choose(file, file.name, L.format(strings.chosen, {name: file.name})); }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!pending) { L.say(status, strings.nothing, true); return; }
      var data = new FormData();
      data.append("file", pending.blob, pending.name);
      data.append("consent", form.querySelector("[data-ll-consent]").checked ? "1" : "0");
      submit.disabled = true;
      L.say(status, strings.sending);
      L.postForm(runtime, element, "submit_recording", data).then(function () {
        L.say(status, strings.submitted);
        var badge = root.querySelector("[data-ll-completed]");
        if (badge) { badge.hidden = false; }
        /* the page shows the stored recording and its state as the server now has them */
        window.setTimeout(function () { window.location.reload(); }, 800);
      }, function (error) {
        submit.disabled = false;
        L.say(status, error.message || strings.network_error, true);
      });
    });
  }

  /* ---- consent after submitting ---- */
  var consentNow = root.querySelector("[data-ll-consent-now]");
  if (consentNow) {
    var consentStatus = root.querySelector("[data-ll-consent-status]");
    consentNow.addEventListener("change", function () {
      L.post(runtime, element, "set_consent", {consent: consentNow.checked}).then(function (answer) {
        consentNow.checked = answer.consent;
        L.say(consentStatus, answer.consent ? strings.consent_on : strings.consent_off);
      }, function (error) {
        consentNow.checked = !consentNow.checked;
        L.say(consentStatus, error.message || strings.network_error, true);
      });
    });
  }

  /* ---- gallery ---- */
  root.querySelectorAll("[data-ll-entry]").forEach(function (item) {
    var id = Number(item.getAttribute("data-ll-entry"));
    var audio = item.querySelector("[data-ll-gallery-audio]");
    var counted = false;
    if (audio) {
      audio.addEventListener("play", function () {
        if (counted) { return; }
        counted = true;
        L.post(runtime, element, "count_play", {recitation: id}).then(function (answer) {
          item.querySelector("[data-ll-plays]").textContent = L.format(strings.plays, {count: answer.plays});
        }, function () { counted = false; });
      });
    }
    var like = item.querySelector("[data-ll-like]");
    if (like) {
      like.addEventListener("click", function () {
        var wanted = like.getAttribute("aria-pressed") !== "true";
        like.disabled = true;
        L.post(runtime, element, "like", {recitation: id, liked: wanted}).then(function (answer) {
          like.setAttribute("aria-pressed", answer.liked ? "true" : "false");
          like.querySelector("[data-ll-likes]").textContent = "(" + answer.likes + ")";
          like.disabled = false;
        }, function () { like.disabled = false; });
      });
    }
    var report = item.querySelector("[data-ll-report]");
    if (report) {
      report.addEventListener("click", function () {
        var reportStatus = item.querySelector("[data-ll-report-status]");
        L.post(runtime, element, "report", {recitation: id, reason: item.querySelector("[data-ll-report-reason]").value})
          .then(function () {
            report.disabled = true;
            L.say(reportStatus, strings.reported);
          }, function (error) { L.say(reportStatus, error.message || strings.network_error, true); });
      });
    }
  });

  /* ---- staff review ---- */
  root.querySelectorAll("[data-ll-review]").forEach(function (row) {
    var id = Number(row.getAttribute("data-ll-review"));
    row.querySelectorAll("[data-ll-moderate]").forEach(function (button) {
      button.addEventListener("click", function () {
        var reviewStatus = row.querySelector("[data-ll-review-status]");
        L.post(runtime, element, "moderate", {recitation: id, action: button.getAttribute("data-ll-moderate"),
          comment: row.querySelector("[data-ll-comment]").value}).then(function () {
          L.say(reviewStatus, strings.saved);
          window.setTimeout(function () { window.location.reload(); }, 600);
        }, function (error) { L.say(reviewStatus, error.message || strings.network_error, true); });
      });
    });
  });
}
window.LifelongRecitation = LifelongRecitation;
