/* lifelong_live_session: sign-up, waiting list, check-in, the replay player, and the staff tools.
   The server decides everything (seats, phases, codes); answers bring the learner's panel
   re-rendered on the server, which is swapped in here. */
function LifelongLiveSession(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  var parts = L.blockParts(element, args, ".ll-live");
  element = parts.element;
  var config = parts.config, root = parts.root, strings = parts.strings;
  var status = root.querySelector("[data-ll-live-status]");
  var panel = root.querySelector("[data-ll-panel]");

  function showCompleted(completed) {
    var badge = root.querySelector("[data-ll-completed]");
    if (badge && completed) { badge.hidden = false; }
  }

  /* Learner actions: one delegated listener, since the panel is replaced after each answer. */
  if (panel) {
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("[data-ll-action]");
      if (!button) { return; }
      button.disabled = true;
      L.post(runtime, element, button.getAttribute("data-ll-action"), {}).then(function (answer) {
        panel.innerHTML = answer.panel_html;   /* rendered and escaped by the server */
        L.say(status, answer.message);
        showCompleted(answer.state && answer.state.completed);
        var next = panel.querySelector("[data-ll-action], [data-ll-join]");
        if (next) { next.focus(); }
      }, function (error) {
        button.disabled = false;
        L.say(status, error.message || strings.network_error, true);
      });
    });
  }

  /* The replay: the lesson player, reporting to this block's report_progress. */
  if (root.querySelector(".ll-player")) {
    var player = new L.Player(runtime, element, root, config);   /* shows coverage and completion */
    L.bindComfort(runtime, element, root, config, function (name, on) {
      if (name === "low_bandwidth") { player.swapSources(on ? config.low_sources : config.normal_sources); }
    });
  } else {
    L.bindComfort(runtime, element, root, config);
  }
  L.bindProfile(runtime, element, root, strings);

  if (config.staff) { bindStaff(); }

  function bindStaff() {
    var staffStatus = root.querySelector("[data-ll-staff-status]");
    function done(message) { return function () { L.say(staffStatus, message || strings.saved); window.setTimeout(function () { window.location.reload(); }, 600); }; }
    function failed(error) { L.say(staffStatus, error.message || strings.network_error, true); }

    var reschedule = root.querySelector("[data-ll-reschedule]");
    if (reschedule) {
      reschedule.addEventListener("submit", function (event) {
        event.preventDefault();
        L.post(runtime, element, "reschedule", {start: reschedule.elements.start.value, end: reschedule.elements.end.value})
          .then(done(), failed);
      });
    }
    var cancel = root.querySelector("[data-ll-cancel-session]");
    if (cancel) {
      cancel.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!window.confirm(strings.confirm_cancel_session)) { return; }
        L.post(runtime, element, "cancel_session", {reason: cancel.elements.reason.value}).then(done(), failed);
      });
      var reinstate = cancel.querySelector("[data-ll-reinstate]");
      if (reinstate) {
        reinstate.addEventListener("click", function () {
          L.post(runtime, element, "reinstate_session", {}).then(done(), failed);
        });
      }
    }

    /* The room's check-in code: fetched from the server while shown, replaced every minute. */
    var code = root.querySelector("[data-ll-code]");
    if (code) {
      var timer = null;
      var box = code.querySelector("[data-ll-qr]");
      var codeStatus = code.querySelector("[data-ll-code-status]");
      var refresh = function () {
        fetch(code.getAttribute("data-url"), {credentials: "same-origin"}).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        }).then(function (answer) {
          box.innerHTML = answer.svg;   /* drawn by the server (segno); no learner text in it */
          L.say(codeStatus, strings.code_refreshed);
          timer = window.setTimeout(refresh, Math.max(5, answer.seconds_left) * 1000);
        }, function () {
          L.say(codeStatus, strings.network_error, true);
          timer = window.setTimeout(refresh, 10000);
        });
      };
      code.addEventListener("toggle", function () {
        window.clearTimeout(timer);
        if (code.open) { refresh(); }
      });
    }
  }
}
window.LifelongLiveSession = LifelongLiveSession;
