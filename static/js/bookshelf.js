/* lifelong_bookshelf: recommend, sort and page the shelf, vote, report; staff moderation.
   The list is HTML rendered (and escaped) on the server; this file only swaps it in and
   never builds markup from what people wrote (textContent only). */
function LifelongBookshelf(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  element = L.rootOf(element);
  var config = L.readConfig(element, args);
  var root = element.querySelector(".ll-bookshelf") || element;
  var strings = config.strings;
  var shelf = root.querySelector("[data-ll-shelf]");
  var shelfStatus = root.querySelector("[data-ll-shelf-status]");
  var view = {sort: config.sort || "votes", page: config.page || 1};

  L.bindComfort(runtime, element, root, config);
  L.bindProfile(runtime, element, root, strings);

  function showCompleted(answer) {
    var badge = root.querySelector("[data-ll-completed]");
    if (badge && answer && answer.progress && answer.progress.completed) { badge.hidden = false; }
  }

  function failed(node) {
    return function (error) { L.say(node, error.message || strings.network_error, true); };
  }

  function load(sort, page, focusSelector) {
    L.say(shelfStatus, strings.loading);
    return L.post(runtime, element, "list_books", {sort: sort, page: page}).then(function (answer) {
      shelf.innerHTML = answer.html;   /* server-rendered, autoescaped template */
      view = {sort: answer.sort, page: answer.page};
      L.say(shelfStatus, "");
      var target = focusSelector && shelf.querySelector(focusSelector);
      if (target) { target.focus(); }
    }, failed(shelfStatus));
  }

  function bookOf(node) {
    var item = node.closest("[data-book]");
    return item ? Number(item.getAttribute("data-book")) : null;
  }

  /* Recommend: errors are shown beside each field; the first invalid field gets the focus. */
  var form = root.querySelector("[data-ll-recommend]");
  if (form) {
    var formStatus = form.querySelector("[data-ll-recommend-status]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {};
      ["title", "author", "isbn", "publisher", "year", "reason", "tags"].forEach(function (name) {
        data[name] = form.elements[name].value;
      });
      form.querySelectorAll("[data-ll-error]").forEach(function (node) { node.textContent = ""; });
      form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      L.post(runtime, element, "recommend", data).then(function (answer) {
        button.disabled = false;
        form.reset();
        L.say(formStatus, answer.joined ? strings.joined : strings.recommended);
        showCompleted(answer);
        load("newest", 1);
      }, function (error) {
        button.disabled = false;
        var fields = error.fields || {};
        var first = null;
        Object.keys(fields).forEach(function (name) {
          var input = form.elements[name];
          var slot = form.querySelector("[data-ll-error='" + name + "']");
          if (slot) { slot.textContent = fields[name]; }
          if (input) { input.setAttribute("aria-invalid", "true"); first = first || input; }
        });
        L.say(formStatus, error.message || strings.network_error, true);
        if (first) { first.focus(); }
      });
    });
  }

  /* Everything inside the list is delegated: the list is replaced when sorting or paging. */
  root.addEventListener("click", function (event) {
    var sort = event.target.closest("[data-ll-sort]");
    if (sort) { load(sort.getAttribute("data-ll-sort"), 1, "[data-ll-sort='" + sort.getAttribute("data-ll-sort") + "']"); return; }
    var page = event.target.closest("[data-ll-page]");
    if (page) { load(view.sort, Number(page.getAttribute("data-ll-page")), ".ll-book-title"); return; }
    var voteButton = event.target.closest("[data-ll-vote]");
    if (voteButton) { toggleVote(voteButton); return; }
    var moderate = event.target.closest("[data-ll-moderate]");
    if (moderate) { moderateBook(moderate); return; }
    var history = event.target.closest("[data-ll-history]");
    if (history) { showHistory(history); }
  });

  function toggleVote(button) {
    var voted = button.getAttribute("aria-pressed") === "true";
    var item = button.closest("[data-book]");
    button.disabled = true;
    L.post(runtime, element, voted ? "unvote" : "vote", {book: bookOf(button)}).then(function (answer) {
      button.disabled = false;
      button.setAttribute("aria-pressed", answer.voted ? "true" : "false");
      button.classList.toggle("ll-button-quiet", !answer.voted);
      button.textContent = answer.voted ? strings.voted_label : strings.vote_label;
      var count = item.querySelector("[data-ll-votes]");
      if (count) { count.textContent = L.format(answer.votes === 1 ? strings.one_vote : strings.votes, {count: answer.votes}); }
      L.say(shelfStatus, answer.voted ? strings.voted : strings.unvoted);
      showCompleted(answer);
    }, function (error) {
      button.disabled = false;
      failed(shelfStatus)(error);
    });
  }

  root.addEventListener("submit", function (event) {
    var report = event.target.closest("[data-ll-report]");
    if (!report) { return; }
    event.preventDefault();
    L.post(runtime, element, "report_book", {book: bookOf(report), reason: report.elements.reason.value}).then(function () {
      report.closest("details").open = false;
      L.say(shelfStatus, strings.reported);
    }, failed(shelfStatus));
  });

  /* Staff */
  var staffStatus = root.querySelector("[data-ll-staff-status]");
  function moderateBook(button) {
    var status = button.closest(".ll-staff") ? staffStatus : shelfStatus;
    L.post(runtime, element, "moderate", {book: bookOf(button), action: button.getAttribute("data-ll-moderate")}).then(function () {
      L.say(status, strings.done);
      load(view.sort, view.page);
      var entry = button.closest(".ll-moderation li");
      if (entry) { button.disabled = true; }
    }, failed(status));
  }

  function showHistory(button) {
    var list = button.parentNode.querySelector("[data-ll-history-list]");
    L.post(runtime, element, "book_history", {book: bookOf(button)}).then(function (answer) {
      list.textContent = "";
      if (!answer.history.length) {
        var none = document.createElement("li");
        none.textContent = strings.history_empty;
        list.appendChild(none);
      }
      answer.history.forEach(function (entry) {
        var line = document.createElement("li");
        line.textContent = entry.at.slice(0, 16).replace("T", " ") + " UTC · " + entry.actor + " · " +
          (strings["action_" + entry.action] || entry.action) + (entry.note ? " · " + entry.note : "");
        list.appendChild(line);
      });
      list.hidden = false;
    }, failed(shelfStatus));
  }

  var merge = root.querySelector("[data-ll-merge]");
  if (merge) {
    var mergeStatus = merge.querySelector("[data-ll-merge-status]");
    merge.addEventListener("submit", function (event) {
      event.preventDefault();
      var kept = merge.elements.kept.value.replace(/^#/, "");
      var duplicate = merge.elements.duplicate.value.replace(/^#/, "");
      merge.querySelectorAll("[data-ll-error]").forEach(function (node) { node.textContent = ""; });
      if (!window.confirm(L.format(strings.confirm_merge, {kept: kept, duplicate: duplicate}))) { return; }
      L.post(runtime, element, "merge_books", {kept: kept, duplicate: duplicate}).then(function () {
        merge.reset();
        L.say(mergeStatus, strings.done);
        load(view.sort, view.page);
      }, function (error) {
        Object.keys(error.fields || {}).forEach(function (name) {
          var slot = merge.querySelector("[data-ll-error='" + name + "']");
          if (slot) { slot.textContent = error.fields[name]; }
        });
        L.say(mergeStatus, error.message || strings.network_error, true);
      });
    });
  }
}
window.LifelongBookshelf = LifelongBookshelf;
