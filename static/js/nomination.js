/* lifelong_nomination: the nominator's drafts (saved while typing), uploads and submission;
   the reviewers' list, detail and actions.  Markup always comes from the server (escaped there);
   this file only sends what people typed and puts the answers in place. */
function LifelongNomination(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  var parts = L.blockParts(element, args, ".ll-nomination");
  element = parts.element;
  var config = parts.config, root = parts.root, strings = parts.strings;
  var mine = root.querySelector("[data-ll-nominator]");
  var mineStatus = root.querySelector("[data-ll-nominator-status]");
  var timers = {};
  L.bindComfort(runtime, element, root, config);

  function showFieldErrors(scope, fields) {
    scope.querySelectorAll("[data-error-for]").forEach(function (node) {
      var message = (fields && fields[node.getAttribute("data-error-for")]) || "";
      node.textContent = message;
      /* The input this message describes (the two consents share a fieldset: never the neighbour's). */
      var input = node.id && scope.querySelector("[aria-describedby~='" + node.id + "']");
      if (input) {
        if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      }
    });
    var first = scope.querySelector("[aria-invalid='true']");
    if (first) { first.focus(); }
  }

  function replaceMine(answer) {
    if (answer && typeof answer.html === "string" && mine) { mine.innerHTML = answer.html; }
    if (answer && answer.message) { L.say(mineStatus, answer.message); }
  }

  function failed(scope) {
    return function (error) {
      L.say(mineStatus, error.message || strings.network_error, true);
      if (error.fields && scope) { showFieldErrors(scope, error.fields); }
    };
  }

  function collect(form) {
    var answers = {};
    form.querySelectorAll("[data-field]").forEach(function (field) {
      var input = field.querySelector("input, select, textarea");
      if (input.type === "tel" && !input.value) { return; }   /* empty phone: keep the saved one */
      answers[field.getAttribute("data-field")] = input.value;
    });
    var data = {
      id: Number(form.getAttribute("data-id")), version: Number(form.getAttribute("data-version")),
      answers: answers,
      consent_publication: form.elements.consent_publication.checked,
      consent_portrait: form.elements.consent_portrait.checked
    };
    if (form.elements.organisation && form.elements.organisation.tagName === "SELECT") {
      data.organisation = form.elements.organisation.value;
    }
    return data;
  }

  /* Save a draft; saves of one form run one after another, each sending the version the last one
     got back, so two quick edits never refuse each other as "changed in another window". */
  var queues = {};
  function save(form) {
    var id = form.getAttribute("data-id");
    clearTimeout(timers[id]);
    timers[id] = null;
    var status = form.querySelector("[data-ll-save-status]");
    var run = function () {
      L.say(status, strings.saving);
      return L.post(runtime, element, "save_draft", collect(form)).then(function (answer) {
        form.setAttribute("data-version", String(answer.version));
        L.say(status, strings.saved_draft);
        showFieldErrors(form, {});
        return answer;
      }, function (error) {
        L.say(status, error.message || strings.network_error, true);
        if (error.fields) { showFieldErrors(form, error.fields); }
        throw error;
      });
    };
    queues[id] = (queues[id] || Promise.resolve()).catch(function () {}).then(run);
    return queues[id];
  }

  /* Before anything re-renders a card: send the edit waiting for its timer, wait for queued saves. */
  function settle(card) {
    var form = card && card.querySelector("[data-ll-form]");
    if (!form) { return Promise.resolve(); }
    var id = form.getAttribute("data-id");
    if (timers[id]) { save(form).catch(function () {}); }
    return (queues[id] || Promise.resolve()).catch(function () {});
  }

  if (mine) {
    mine.addEventListener("input", function (event) {
      var form = event.target.closest("[data-ll-form]");
      if (!form) { return; }
      var id = form.getAttribute("data-id");
      clearTimeout(timers[id]);
      timers[id] = setTimeout(function () { timers[id] = null; save(form).catch(function () {}); }, 1200);
    });
    mine.addEventListener("change", function (event) {
      var form = event.target.closest("[data-ll-form]");
      if (form && !event.target.matches("input[type=text], input[type=tel], textarea")) {
        save(form).catch(function () {});   /* typing is saved by the timer; choices at once */
      }
      var upload = event.target.closest("[data-ll-upload]");
      if (upload && upload.files.length) {
        var card = upload.closest("[data-nomination]");
        var status = card.querySelector("[data-ll-upload-status]");
        var data = new FormData();
        data.append("nomination", card.getAttribute("data-nomination"));
        data.append("kind", upload.getAttribute("data-ll-upload"));
        data.append("file", upload.files[0]);
        L.say(status, strings.uploading);
        settle(card).then(function () {
          return L.postForm(runtime, element, "upload_material", data);
        }).then(replaceMine, function (error) {
          L.say(status, error.message || strings.network_error, true);
          upload.value = "";
        });
      }
    });
    mine.addEventListener("submit", function (event) {
      if (event.target.matches("[data-ll-start]")) {
        event.preventDefault();
        L.post(runtime, element, "start_nomination", {organisation: event.target.elements.organisation.value})
          .then(function (answer) {
            replaceMine(answer);
            var card = mine.querySelector("[data-nomination='" + answer.id + "'] input, [data-nomination='" + answer.id + "'] select");
            if (card) { card.focus(); }
          }, failed(null));
      } else if (event.target.matches("[data-ll-form]")) {
        event.preventDefault();
      }
    });
    mine.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      var card = button && button.closest("[data-nomination]");
      if (!card) { return; }
      var id = Number(card.getAttribute("data-nomination"));
      var form = card.querySelector("[data-ll-form]");
      var post = function (handler, data) {
        return settle(card).then(function () { return L.post(runtime, element, handler, data); });
      };
      if (button.hasAttribute("data-ll-submit")) {
        button.disabled = true;
        (form ? save(form) : Promise.resolve()).then(function () {
          return L.post(runtime, element, "submit_nomination", {id: id});
        }).then(replaceMine, function (error) {
          button.disabled = false;
          failed(card)(error);
        });
      } else if (button.hasAttribute("data-ll-withdraw")) {
        if (window.confirm(strings.confirm_withdraw)) {
          post("withdraw_nomination", {id: id}).then(replaceMine, failed(card));
        }
      } else if (button.hasAttribute("data-ll-delete")) {
        if (window.confirm(strings.confirm_delete)) {
          post("delete_nomination", {id: id}).then(replaceMine, failed(card));
        }
      } else if (button.hasAttribute("data-ll-remove")) {
        post("remove_material", {id: id, material: Number(button.getAttribute("data-ll-remove"))})
          .then(replaceMine, failed(card));
      } else if (button.hasAttribute("data-ll-add-link")) {
        var input = card.querySelector("[data-ll-link-input]");
        post("add_video_link", {id: id, link: input.value}).then(replaceMine, function (error) {
          L.say(card.querySelector("[data-ll-upload-status]"), error.message || strings.network_error, true);
        });
      }
    });
  }

  /* Reviewers. */
  var staff = root.querySelector("[data-ll-staff]");
  if (staff) {
    var list = staff.querySelector("[data-ll-review-list]");
    var detail = staff.querySelector("[data-ll-review-detail]");
    var reviewStatus = staff.querySelector("[data-ll-review-status]");
    var filters = staff.querySelector("[data-ll-filters]");
    var filterValues = {};

    var showList = function (page) {
      filterValues = {status: filters.elements.status.value, organisation: filters.elements.organisation.value,
        category: filters.elements.category.value, search: filters.elements.search.value, page: page || 1};
      return L.post(runtime, element, "review_list", filterValues).then(function (answer) {
        list.innerHTML = answer.html;
      }, function (error) { L.say(reviewStatus, error.message || strings.network_error, true); });
    };
    var showDetail = function (answer) {
      detail.innerHTML = answer.html;
      if (answer.message) { L.say(reviewStatus, answer.message); }
      var heading = detail.querySelector("h4");
      if (heading) { heading.focus(); }
    };
    var afterChange = function (answer) {
      showDetail(answer);
      showList(filterValues.page);
    };
    var refused = function (scope) {
      return function (error) {
        L.say(reviewStatus, error.message || strings.network_error, true);
        if (error.fields && scope) { showFieldErrors(scope, error.fields); }
      };
    };

    filters.addEventListener("submit", function (event) { event.preventDefault(); showList(1); });
    list.addEventListener("click", function (event) {
      var open = event.target.closest("[data-ll-open]");
      var page = event.target.closest("[data-ll-page]");
      if (open) {
        L.post(runtime, element, "review_detail", {id: Number(open.getAttribute("data-ll-open"))})
          .then(showDetail, refused(null));
      } else if (page) {
        showList(Number(page.getAttribute("data-ll-page")));
      }
    });
    detail.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      var card = detail.querySelector("[data-ll-detail]");
      if (!button || !card) { return; }
      var id = Number(card.getAttribute("data-ll-detail"));
      if (button.hasAttribute("data-ll-action")) {
        var note = card.querySelector("[data-ll-action-form] textarea");
        L.post(runtime, element, "review_action", {id: id, action: button.getAttribute("data-ll-action"),
          note: note ? note.value : ""}).then(afterChange, refused(null));
      } else if (button.hasAttribute("data-ll-take-down")) {
        L.post(runtime, element, "showcase_take_down", {id: id,
          taken_down: button.getAttribute("data-ll-take-down") === "true"}).then(afterChange, refused(null));
      } else if (button.hasAttribute("data-ll-staff-delete")) {
        if (window.confirm(strings.confirm_delete)) {
          L.post(runtime, element, "review_delete", {id: id}).then(afterChange, refused(null));
        }
      }
    });
    detail.addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      var card = detail.querySelector("[data-ll-detail]");
      var id = Number(card.getAttribute("data-ll-detail"));
      if (form.matches("[data-ll-comment]")) {
        L.post(runtime, element, "review_comment", {id: id, text: form.elements.text.value}).then(afterChange, refused(null));
      } else if (form.matches("[data-ll-reassign]")) {
        L.post(runtime, element, "review_reassign", {id: id, organisation: form.elements.organisation.value})
          .then(afterChange, refused(null));
      } else if (form.matches("[data-ll-score]")) {
        var scores = {};
        form.querySelectorAll("input[type=number]").forEach(function (input) {
          scores[input.name] = input.value === "" ? null : Number(input.value);
        });
        L.post(runtime, element, "review_score", {id: id, scores: scores}).then(afterChange, refused(form));
      }
    });
  }
}
window.LifelongNomination = LifelongNomination;
