/* lifelong_bookshelf: recommend, sort and page the shelf, vote, report; staff moderation.
   The list is HTML rendered (and escaped) on the server; this file only swaps it in and
   never builds markup from what people wrote (textContent only). */
function LifelongBookshelf(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  var parts = L.blockParts(element, args, ".ll-bookshelf");
  element = parts.element;
  var config = parts.config, root = parts.root, strings = parts.strings;
  var shelf = root.querySelector("[data-ll-shelf]");
  var shelfStatus = root.querySelector("[data-ll-shelf-status]");
  var view = {sort: config.sort || "votes", page: config.page || 1, search: ""};
  var rules = config.rules || {};

  L.bindComfort(runtime, element, root, config);
  L.bindProfile(runtime, element, root, strings);

  /* The progress line follows the server's counts (shown as "3 of 3", never "5 of 3"). */
  function showProgress(answer) {
    var progress = answer && answer.progress;
    if (!progress) { return; }
    [["recommended", "min_recommendations"], ["voted", "min_votes"]].forEach(function (pair) {
      var node = root.querySelector("[data-ll-progress='" + pair[0] + "']");
      var goal = rules[pair[1]];
      if (node && goal) {
        node.textContent = L.format(strings["progress_" + pair[0]], {done: Math.min(progress[pair[0]], goal), goal: goal});
      }
    });
    var badge = root.querySelector("[data-ll-completed]");
    if (badge && progress.completed) { badge.hidden = false; }
  }

  function failed(node) {
    return function (error) { L.say(node, error.message || strings.network_error, true); };
  }

  /* Replace the list.  ``focusSelector``: what gets the keyboard focus in the new list (the
     control used was replaced with it); ``announce``: a status line for screen readers. */
  function load(sort, page, focusSelector, announce, search) {
    var hadFocus = shelf.contains(document.activeElement);
    search = search === undefined ? view.search : search;
    L.say(shelfStatus, strings.loading);
    return L.post(runtime, element, "list_books", {sort: sort, page: page, search: search}).then(function (answer) {
      shelf.innerHTML = answer.html;   /* server-rendered, autoescaped template */
      view = {sort: answer.sort, page: answer.page, search: answer.search};
      L.say(shelfStatus, announce ? announce(answer) : "");
      var target = (focusSelector && (shelf.querySelector(focusSelector) || root.querySelector(focusSelector))) ||
        (hadFocus ? root.querySelector(".ll-shelf > .ll-subtitle") : null);
      if (target) {
        if (!target.hasAttribute("tabindex") && !/^(BUTTON|INPUT|A|SUMMARY)$/.test(target.tagName)) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus();
      }
    }, failed(shelfStatus));
  }

  function pageShown(answer) {
    return L.format(strings.page_shown, {page: answer.page, pages: answer.pages});
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
        showProgress(answer);
        load("newest", 1, null, null, "");
        if (searchForm) { searchForm.elements.search.value = ""; }
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

  /* Search by title, author or tag; a tag in the list searches for itself. */
  var searchForm = root.querySelector("[data-ll-search]");
  function search(text, focusSelector) {
    if (searchForm) { searchForm.elements.search.value = text; }
    load(view.sort, 1, focusSelector === undefined ? ".ll-help" : focusSelector, null, text);
  }
  if (searchForm) {
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      search(searchForm.elements.search.value.trim());
    });
  }

  /* Everything inside the list is delegated: the list is replaced when sorting or paging. */
  root.addEventListener("click", function (event) {
    var sort = event.target.closest("[data-ll-sort]");
    if (sort) { load(sort.getAttribute("data-ll-sort"), 1, "[data-ll-sort='" + sort.getAttribute("data-ll-sort") + "']"); return; }
    var page = event.target.closest("[data-ll-page]");
    if (page) { load(view.sort, Number(page.getAttribute("data-ll-page")), ".ll-book-title", pageShown); return; }
    var tag = event.target.closest("[data-ll-tag]");
    if (tag) { search(tag.getAttribute("data-ll-tag")); return; }
    if (event.target.closest("[data-ll-clear-search]")) {
      search("", searchForm ? "[data-ll-search] input" : undefined);
      return;
    }
    var pick = event.target.closest("[data-ll-merge-pick]");
    if (pick) { pickForMerge(pick); return; }
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
      showProgress(answer);
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
    var book = bookOf(button);
    var inList = shelf.contains(button);
    L.post(runtime, element, "moderate", {book: book, action: button.getAttribute("data-ll-moderate")}).then(function () {
      L.say(status, strings.done);
      /* Back to the same book's staff actions (its first button) when it is still listed. */
      load(view.sort, view.page, inList ? "[data-book='" + book + "'] .ll-book-staff button" : null);
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
  var mergeTitles = {};
  function showMergeTitle(name, id, title) {
    mergeTitles[name] = {id: id, title: title};
    var slot = merge.querySelector("[data-ll-merge-title='" + name + "']");
    slot.textContent = title ? L.format(strings["merge_" + name], {title: title}) : "";
  }

  /* "Choose for merging": the first book chosen is kept, the second is merged into it. */
  function pickForMerge(button) {
    if (!merge) { return; }
    var id = String(bookOf(button));
    var title = button.closest("[data-book]").querySelector(".ll-book-title").textContent;
    var kept = merge.elements.kept, duplicate = merge.elements.duplicate;
    if (!kept.value || kept.value === id || duplicate.value) {
      kept.value = id;
      duplicate.value = "";
      showMergeTitle("kept", id, title);
      showMergeTitle("duplicate", "", "");
      L.say(shelfStatus, L.format(strings.merge_kept, {title: title}));
    } else {
      duplicate.value = id;
      showMergeTitle("duplicate", id, title);
      merge.querySelector("button[type=submit]").focus();
    }
  }

  function titleFor(name, id) {
    var known = mergeTitles[name];
    return known && known.id === id ? known.title : "";
  }

  if (merge) {
    ["kept", "duplicate"].forEach(function (name) {   /* a typed number no longer shows a chosen title */
      merge.elements[name].addEventListener("input", function () { showMergeTitle(name, "", ""); });
    });
    var mergeStatus = merge.querySelector("[data-ll-merge-status]");
    merge.addEventListener("submit", function (event) {
      event.preventDefault();
      var kept = merge.elements.kept.value.replace(/^#/, "");
      var duplicate = merge.elements.duplicate.value.replace(/^#/, "");
      merge.querySelectorAll("[data-ll-error]").forEach(function (node) { node.textContent = ""; });
      var titles = {kept: titleFor("kept", kept), duplicate: titleFor("duplicate", duplicate)};
      var question = titles.kept && titles.duplicate ? L.format(strings.confirm_merge_titles, titles) :
        L.format(strings.confirm_merge, {kept: kept, duplicate: duplicate});
      if (!window.confirm(question)) { return; }
      L.post(runtime, element, "merge_books", {kept: kept, duplicate: duplicate}).then(function () {
        merge.reset();
        showMergeTitle("kept", "", "");
        showMergeTitle("duplicate", "", "");
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
