/* lifelong_dashboard: filters re-draw the summary (server-rendered), the report buttons ask for a
   report file and the list is asked for again every few seconds until no report is unfinished. */
function LifelongDashboard(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  var parts = L.blockParts(element, args, ".ll-dashboard");
  element = parts.element;
  var config = parts.config, root = parts.root, strings = parts.strings;
  var form = root.querySelector("[data-ll-filters]");
  if (!form) { return; }      /* a learner's note: nothing to do */

  L.bindComfort(runtime, element, root, config);

  var filterStatus = root.querySelector("[data-ll-filter-status]");
  var reportStatus = root.querySelector("[data-ll-report-status]");
  var reportsBox = root.querySelector("[data-ll-reports]");
  var POLL_MS = 3000, polling = null;

  function filters() {
    var types = [];
    form.querySelectorAll("input[name=block_types]:checked").forEach(function (box) { types.push(box.value); });
    return {since: form.elements.since.value, until: form.elements.until.value, block_types: types};
  }

  function clearErrors() {
    root.querySelectorAll("[data-ll-error-for]").forEach(function (node) { node.textContent = ""; });
    root.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
  }

  /* Each message beside its field; the first invalid field gets the focus. */
  function showErrors(error, status) {
    var fields = error.fields || {}, first = null;
    Object.keys(fields).forEach(function (name) {
      var slot = root.querySelector("[data-ll-error-for='" + name + "']");
      if (slot) { slot.textContent = fields[name]; }
      var input = name === "block_types" ? form.querySelector("input[name=block_types]") : form.elements[name];
      if (input && input.setAttribute) {
        if (name !== "block_types") { input.setAttribute("aria-invalid", "true"); }
        first = first || input;
      }
    });
    L.say(status, Object.keys(fields).length ? strings.fix_fields : (error.message || strings.network_error), true);
    if (first) { first.focus(); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    L.say(filterStatus, strings.loading);
    L.post(runtime, element, "summary", filters()).then(function (answer) {
      /* Rendered and escaped on the server, like the first page. */
      root.querySelector("[data-ll-summary]").innerHTML = answer.html;
      L.say(filterStatus, strings.shown);
    }, function (error) { showErrors(error, filterStatus); });
  });

  function unfinished(reports) {
    return reports.some(function (report) { return report.status === "queued" || report.status === "running"; });
  }

  function showReports(answer) {
    reportsBox.innerHTML = answer.html;
    if (unfinished(answer.reports)) { poll(); } else { polling = null; }
  }

  function poll() {
    if (polling) { return; }
    polling = window.setTimeout(function () {
      polling = null;
      L.post(runtime, element, "report_status", {}).then(function (answer) {
        var mine = root.getAttribute("data-ll-waiting-for");
        var done = mine && answer.reports.filter(function (report) { return String(report.id) === mine; })[0];
        if (done && (done.status === "ready" || done.status === "failed")) {
          root.removeAttribute("data-ll-waiting-for");
          L.say(reportStatus, done.status === "ready" ? strings.ready : (done.error || strings.failed),
                done.status === "failed");
        }
        showReports(answer);
      }, function () { poll(); });
    }, POLL_MS);
  }

  root.querySelectorAll("[data-ll-produce]").forEach(function (button) {
    button.addEventListener("click", function () {
      clearErrors();
      var data = filters();
      data.format = button.getAttribute("data-ll-produce");
      data.anonymize = root.querySelector("[data-ll-anonymize]").checked;
      button.disabled = true;
      L.say(reportStatus, strings.loading);
      L.post(runtime, element, "request_report", data).then(function (answer) {
        var report = answer.report;
        if (report.status === "ready") {
          L.say(reportStatus, strings.ready);
        } else if (report.status === "failed") {
          L.say(reportStatus, report.error || strings.failed, true);
        } else {
          root.setAttribute("data-ll-waiting-for", String(report.id));
          L.say(reportStatus, strings.queued);
        }
        showReports(answer);
      }, function (error) { showErrors(error, reportStatus); }).then(function () { button.disabled = false; });
    });
  });

  if (config.waiting) { poll(); }
}
