/* lifelong_recitation: record or choose a file, listen back, submit; consent; gallery likes,
   plays and reports; staff feature/hide.  Everything shown comes from the server's answers. */
function LifelongRecitation(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  var parts = L.blockParts(element, args, ".ll-recitation");
  element = parts.element;
  var config = parts.config, root = parts.root, strings = parts.strings;
  L.bindComfort(runtime, element, root, config);
  L.bindProfile(runtime, element, root, strings);

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function sizeText(bytes) {
    return bytes >= 1000000 ? (Math.round(bytes / 100000) / 10) + " MB" : Math.max(1, Math.round(bytes / 1000)) + " KB";
  }

  /* ---- recording and submitting: bound again whenever the server sends the part anew ---- */
  var learnerPart = root.querySelector("[data-ll-learner]");
  var panelStatus = root.querySelector("[data-ll-panel-status]");

  function announceWhileRecording(seconds, status) {
    /* the visible timer is not read out; the status says the time each minute and near the end */
    var whole = Math.floor(seconds);
    var left = config.max_seconds - whole;
    if (left === 10) {
      L.say(status, L.format(strings.seconds_left, {count: left}));
    } else if (whole > 0 && whole % 60 === 0 && left > 10) {
      L.say(status, L.format(strings.recording, {time: clock(whole), limit: clock(config.max_seconds)}));
    }
  }

  function microphoneProblem(error) {
    var problem = window.LifelongRecorder.problemOf(error);
    return {denied: strings.mic_denied, missing: strings.mic_missing, busy: strings.mic_busy}[problem] ||
      strings.mic_other;
  }

  function bindLearner(part) {
    var form = part.querySelector("[data-ll-recorder]");
    if (!form) { return; }
    var status = form.querySelector("[data-ll-status]");
    var recordButton = form.querySelector("[data-ll-record]");
    var timer = form.querySelector("[data-ll-timer]");
    var fileInput = form.querySelector("[data-ll-file]");
    var preview = form.querySelector("[data-ll-preview]");
    var previewAudio = form.querySelector("[data-ll-preview-audio]");
    var submit = form.querySelector("[data-ll-submit]");
    var pending = null;   /* {blob, name} */
    var previewUrl = null;
    var lastSecond = -1;

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
          if (Math.floor(seconds) !== lastSecond) {
            lastSecond = Math.floor(seconds);
            announceWhileRecording(seconds, status);
          }
        },
        onStop: function (blob, seconds, type, atLimit) {
          recordButton.textContent = strings.record_again;
          fileInput.disabled = false;
          timer.textContent = "";
          fileInput.value = "";
          var message = L.format(strings.recorded, {time: clock(seconds)});
          choose(blob, "recitation." + window.LifelongRecorder.extensionFor(type),
            atLimit ? L.format(strings.at_limit, {limit: clock(config.max_seconds)}) + " " + message : message);
        }
      });
      recordButton.hidden = false;
      recordButton.addEventListener("click", function () {
        if (recorder.recording()) { recorder.stop(); return; }
        recordButton.disabled = true;
        recorder.start().then(function () {
          recordButton.disabled = false;
          recordButton.textContent = strings.stop;
          recordButton.focus();
          submit.disabled = true;
          fileInput.disabled = true;
          lastSecond = -1;
          L.say(status, L.format(strings.recording_started, {limit: clock(config.max_seconds)}));
        }, function (error) {
          recordButton.disabled = false;
          L.say(status, microphoneProblem(error), true);
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
      /* before the first submission the form asks; afterwards the choice shown above the form stays */
      var consent = part.querySelector("[data-ll-consent]") || part.querySelector("[data-ll-consent-now]");
      var data = new FormData();
      data.append("file", pending.blob, pending.name);
      data.append("consent", consent && consent.checked ? "1" : "0");
      submit.disabled = true;
      L.say(status, strings.sending);
      L.postForm(runtime, element, "submit_recording", data).then(function (answer) {
        if (previewUrl) { URL.revokeObjectURL(previewUrl); }
        part.innerHTML = answer.panel_html;   /* rendered and escaped by the server */
        bindLearner(part);
        var badge = root.querySelector("[data-ll-completed]");
        if (badge) { badge.hidden = false; }
        var heading = part.querySelector(".ll-own .ll-subtitle");
        if (heading) { heading.focus(); }
        L.say(panelStatus, answer.message);
      }, function (error) {
        submit.disabled = false;
        L.say(status, error.message || strings.network_error, true);
      });
    });

    /* consent after submitting */
    var consentNow = part.querySelector("[data-ll-consent-now]");
    if (consentNow) {
      var consentStatus = part.querySelector("[data-ll-consent-status]");
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
  }
  if (learnerPart && config.signed_in) { bindLearner(learnerPart); }

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

  /* ---- staff review: one delegated listener, since the part is replaced after each answer ---- */
  var staffPanel = root.querySelector("[data-ll-staff-panel]");
  if (staffPanel) {
    var staffStatus = root.querySelector("[data-ll-staff-status]");
    var showStaff = function (answer, focusSelector) {
      staffPanel.innerHTML = answer.staff_html;   /* rendered and escaped by the server */
      var next = focusSelector && staffPanel.querySelector(focusSelector);
      if (next) { next.focus(); }
    };
    var currentPage = function () {
      var section = staffPanel.querySelector("[data-ll-staff-page]");
      return Number(section ? section.getAttribute("data-ll-staff-page") : 1);
    };
    staffPanel.addEventListener("click", function (event) {
      var button = event.target.closest("[data-ll-moderate], [data-ll-page]");
      if (!button || button.disabled) { return; }
      button.disabled = true;
      var request;
      var focusSelector;
      if (button.hasAttribute("data-ll-page")) {
        var page = Number(button.getAttribute("data-ll-page"));
        request = L.post(runtime, element, "staff_panel", {page: page});
        focusSelector = "[data-ll-page]:not([disabled])";
      } else {
        var row = button.closest("[data-ll-review]");
        var id = Number(row.getAttribute("data-ll-review"));
        request = L.post(runtime, element, "moderate", {recitation: id, action: button.getAttribute("data-ll-moderate"),
          comment: row.querySelector("[data-ll-comment]").value, page: currentPage()});
        focusSelector = "[data-ll-review='" + id + "'] [data-ll-moderate]";
      }
      request.then(function (answer) {
        showStaff(answer, focusSelector);
        L.say(staffStatus, answer.message || "");
      }, function (error) {
        button.disabled = false;
        L.say(staffStatus, error.message || strings.network_error, true);
      });
    });
  }
}
window.LifelongRecitation = LifelongRecitation;
