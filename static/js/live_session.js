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

  /* Staff tools.  Listeners sit on the block's root, since a staff action's answer replaces the
     whole staff part with one re-rendered on the server. */
  function bindStaff() {
    var timer = null;
    function staffStatus() { return root.querySelector("[data-ll-staff-status]"); }
    function done(message) { return function () { L.say(staffStatus(), message || strings.saved); window.setTimeout(function () { window.location.reload(); }, 600); }; }
    function failed(button) {
      return function (error) {
        if (button) { button.disabled = false; }
        L.say(staffStatus(), error.message || strings.network_error, true);
      };
    }

    root.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.matches("[data-ll-reschedule]")) {
        event.preventDefault();
        L.post(runtime, element, "reschedule", {start: form.elements.start.value, end: form.elements.end.value})
          .then(done(), failed());
      } else if (form.matches("[data-ll-cancel-session]")) {
        event.preventDefault();
        if (!window.confirm(strings.confirm_cancel_session)) { return; }
        L.post(runtime, element, "cancel_session", {reason: form.elements.reason.value}).then(done(), failed());
      }
    });

    root.addEventListener("click", function (event) {
      if (event.target.closest("[data-ll-reinstate]")) {
        L.post(runtime, element, "reinstate_session", {}).then(done(), failed());
        return;
      }
      var button = event.target.closest("[data-ll-staff-action]");
      if (button) { staffAction(button); }
    });

    /* Mark present, undo, remove: the answer brings the staff part re-rendered; focus goes back
       to the same learner's row (its first button), or to the list when the row is gone. */
    function staffAction(button) {
      var user = button.getAttribute("data-user");
      var action = button.getAttribute("data-ll-staff-action");
      if (action === "remove_registration" && !window.confirm(L.format(strings.confirm_remove, {user: user}))) { return; }
      button.disabled = true;
      L.post(runtime, element, action, {user: user}).then(function (answer) {
        var part = root.querySelector("[data-ll-staff]");
        window.clearTimeout(timer);
        var holder = document.createElement("div");
        holder.innerHTML = answer.staff_html;   /* rendered and escaped by the server */
        part.parentNode.replaceChild(holder.firstElementChild, part);
        L.say(staffStatus(), answer.message);
        var next = null;
        root.querySelectorAll("[data-ll-staff] [data-ll-staff-action]").forEach(function (candidate) {
          if (!next && candidate.getAttribute("data-user") === user) { next = candidate; }
        });
        (next || root.querySelector("[data-ll-registrations] summary")).focus();
      }, failed(button));
    }

    /* The room's check-in code: fetched from the server while shown, replaced every minute. */
    function refreshCode(code) {
      var box = code.querySelector("[data-ll-qr]");
      var codeStatus = code.querySelector("[data-ll-code-status]");
      fetch(code.getAttribute("data-url"), {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (answer) {
        box.innerHTML = answer.svg;   /* drawn by the server (segno); no learner text in it */
        L.say(codeStatus, strings.code_refreshed);
        if (code.isConnected && code.open) { timer = window.setTimeout(function () { refreshCode(code); }, Math.max(5, answer.seconds_left) * 1000); }
      }, function () {
        L.say(codeStatus, strings.network_error, true);
        if (code.isConnected && code.open) { timer = window.setTimeout(function () { refreshCode(code); }, 10000); }
      });
    }
    root.addEventListener("toggle", function (event) {   /* toggle does not bubble: listen while capturing */
      var code = event.target;
      if (!code.matches || !code.matches("[data-ll-code]")) { return; }
      window.clearTimeout(timer);
      if (code.open) { refreshCode(code); }
    }, true);
  }
}
window.LifelongLiveSession = LifelongLiveSession;
