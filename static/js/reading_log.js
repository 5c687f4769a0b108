/* lifelong_reading_log: today's check-in (with errors next to their fields), reports on the club
   wall, and staff moderation.  The server decides the day; this page only sends what it showed. */
function LifelongReadingLog(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  var parts = L.blockParts(element, args, ".ll-reading-log");
  element = parts.element;
  var config = parts.config, root = parts.root, strings = parts.strings;

  L.bindComfort(runtime, element, root, config);
  L.bindProfile(runtime, element, root, strings);

  function showSummary(answer) {
    ["current_streak", "longest_streak", "goal_shown"].forEach(function (name) {
      var node = root.querySelector("[data-ll-value='" + name + "']");
      if (node) { node.textContent = String(answer[name]); }
    });
    var meter = root.querySelector("[data-ll-goal-meter]");
    if (meter) {
      meter.setAttribute("aria-valuenow", String(answer.goal_percent));
      meter.querySelector(".ll-meter-fill").style.width = answer.goal_percent + "%";
    }
    var badge = root.querySelector("[data-ll-goal-badge]");
    if (badge && answer.goal_reached) { badge.hidden = false; }
    var heatmap = root.querySelector("[data-ll-heatmap]");
    /* Server-rendered and escaped there, like the rest of the page. */
    if (heatmap && answer.heatmap_html) {
      heatmap.innerHTML = answer.heatmap_html;
      showToday();
    }
  }

  /* A calendar wider than the phone scrolls in its box: start at the right end, where today is. */
  function showToday() {
    var box = root.querySelector(".ll-heatmap-scroll");
    if (box) { box.scrollLeft = box.scrollWidth; }
  }
  showToday();

  function clearErrors(form) {
    form.querySelectorAll("[data-ll-error-for]").forEach(function (node) { node.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
  }

  function showErrors(form, error) {
    var fields = error.fields || {};
    var first = null;
    Object.keys(fields).forEach(function (name) {
      var slot = form.querySelector("[data-ll-error-for='" + name + "']");
      var input = form.elements[name];
      if (slot) { slot.textContent = fields[name]; }
      if (input && input.setAttribute) {
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      }
    });
    if (first) { first.focus(); }
    return Object.keys(fields).length > 0;
  }

  var form = root.querySelector("[data-ll-checkin]");
  if (form && config.signed_in) {
    var status = form.querySelector("[data-ll-checkin-status]");
    var submit = form.querySelector("[data-ll-submit]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(form);
      var book = form.elements.book_id;
      var data = {
        day: config.today,
        book_id: book && book.value ? Number(book.value) : null,
        book_title: form.elements.book_title.value,
        minutes: form.elements.minutes.value === "" ? null : form.elements.minutes.value,
        pages: form.elements.pages.value === "" ? null : form.elements.pages.value,
        reflection: form.elements.reflection.value,
        shared: Boolean(form.elements.shared && form.elements.shared.checked && !form.elements.shared.closest("[hidden]"))
      };
      submit.disabled = true;
      L.post(runtime, element, "check_in", data).then(function (answer) {
        submit.disabled = false;
        L.say(status, strings.checked_in);
        showSummary(answer);
      }, function (error) {
        submit.disabled = false;
        var perField = showErrors(form, error);
        L.say(status, perField ? strings.fix_fields + " " + error.message : (error.message || strings.network_error), true);
      });
    });
  }

  /* Joining or leaving the club wall: the check-in form offers "show this reflection" to members only. */
  function showMembership(sharing) {
    root.querySelectorAll("[data-ll-sharing]").forEach(function (button) {
      button.hidden = (button.getAttribute("data-ll-sharing") === "on") === sharing;
    });
    var state = root.querySelector("[data-ll-sharing-state]");
    if (state) { state.textContent = sharing ? strings.member : strings.not_member; }
    var choice = root.querySelector("[data-ll-share-choice]");
    var join = root.querySelector("[data-ll-share-join]");
    if (choice) {
      choice.hidden = !sharing;
      choice.querySelector("input").checked = sharing;
    }
    if (join) { join.hidden = sharing; }
  }

  root.querySelectorAll("[data-ll-sharing]").forEach(function (button) {
    var said = root.querySelector("[data-ll-sharing-status]");
    button.addEventListener("click", function () {
      var sharing = button.getAttribute("data-ll-sharing") === "on";
      button.disabled = true;
      L.post(runtime, element, "set_wall_sharing", {sharing: sharing}).then(function (answer) {
        button.disabled = false;
        showMembership(answer.sharing);
        L.say(said, answer.sharing ? strings.joined : strings.left);
        var other = root.querySelector("[data-ll-sharing='" + (answer.sharing ? "off" : "on") + "']");
        if (other) { other.focus(); }
      }, function (error) {
        button.disabled = false;
        L.say(said, error.message || strings.network_error, true);
      });
    });
  });

  root.querySelectorAll("[data-ll-report]").forEach(function (button) {
    button.addEventListener("click", function () {
      var note = button.parentNode.querySelector(".ll-status");
      button.disabled = true;
      L.post(runtime, element, "report_entry", {entry_id: Number(button.getAttribute("data-ll-report"))})
        .then(function () {
          button.hidden = true;
          L.say(note, strings.reported);
        }, function (error) {
          button.disabled = false;
          L.say(note, error.message || strings.network_error, true);
        });
    });
  });

  root.querySelectorAll("[data-moderate]").forEach(function (item) {
    var note = item.querySelector("input[name='note']");
    var said = item.querySelector(".ll-status");
    item.querySelectorAll("[data-ll-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.getAttribute("data-ll-action");
        note.removeAttribute("aria-invalid");
        L.post(runtime, element, "moderate", {entry_id: Number(item.getAttribute("data-moderate")), action: action,
                                              note: note.value}).then(function (answer) {
          item.classList.toggle("ll-wall-hidden", answer.hidden);
          item.querySelector("[data-ll-action='hide']").hidden = answer.hidden;
          item.querySelector("[data-ll-action='show']").hidden = !answer.hidden;
          if (action === "dismiss") { button.hidden = true; }
          item.querySelector("[data-ll-state]").textContent = answer.hidden ? strings.hidden : strings.shown;
          L.say(said, action === "dismiss" ? strings.reports_dismissed : (answer.hidden ? strings.hidden : strings.shown));
        }, function (error) {
          if (error.fields && error.fields.note) {
            note.setAttribute("aria-invalid", "true");
            note.focus();
          }
          L.say(said, error.message || strings.network_error, true);
        });
      });
    });
  });
}
