/* Shared by every lifelong_xblocks block: talking to handlers, messages, comfort settings,
   the participant-profile question.  No framework; nothing loaded from outside. */
(function (global) {
  "use strict";
  if (global.LifelongXBlocks) { return; }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function rootOf(element) {
    return element && element.jquery ? element[0] : element;
  }

  /* POST JSON to a handler; resolves with the JSON answer, rejects with {status, message}. */
  function post(runtime, element, handler, data, options) {
    var url = runtime.handlerUrl(element, handler);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: Boolean(options && options.keepalive),
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"},
      body: JSON.stringify(data || {})
    }).then(function (response) {
      return response.text().then(function (text) {
        var body = {};
        try { body = text ? JSON.parse(text) : {}; } catch (ignored) { body = {}; }
        if (!response.ok) {
          throw {status: response.status, message: body.error || response.statusText, fields: body.fields};
        }
        return body;
      });
    }, function () {
      throw {status: 0, message: ""};
    });
  }

  /* POST a multipart form (e.g. an upload) to a handler; answers like post(). */
  function postForm(runtime, element, handler, formData) {
    return fetch(runtime.handlerUrl(element, handler), {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"},
      body: formData
    }).then(function (response) {
      return response.text().then(function (text) {
        var body = {};
        try { body = text ? JSON.parse(text) : {}; } catch (ignored) { body = {}; }
        if (!response.ok) {
          throw {status: response.status, message: body.error || response.statusText, fields: body.fields};
        }
        return body;
      });
    }, function () {
      throw {status: 0, message: ""};
    });
  }

  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function say(node, text, isError) {
    if (!node) { return; }
    node.textContent = text || "";
    node.classList.toggle("ll-error", Boolean(isError));
  }

  /* Large text, save-data and speed switches; remembered per learner on the server. */
  function bindComfort(runtime, element, root, config, onChange) {
    root.querySelectorAll("[data-ll-toggle]").forEach(function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-ll-toggle");
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        config.comfort[name] = on;
        if (name === "large_text") { root.classList.toggle("ll-large", on); }
        if (onChange) { onChange(name, on); }
        if (config.signed_in) {
          var change = {};
          change[name] = on;
          post(runtime, element, "save_comfort", change).catch(function () {});
        }
      });
    });
  }

  /* The participant profile: first asked openly, later edited in a collapsed section. */
  function bindProfile(runtime, element, root, strings) {
    var form = root.querySelector("[data-ll-profile]");
    if (!form) { return; }
    var status = form.querySelector(".ll-status");
    var asking = form.getAttribute("data-ll-profile") === "ask";
    function send(consented) {
      var data = {consented: consented};
      if (consented) {
        data.audience_group = form.elements.audience_group.value;
        data.region = form.elements.region.value;
      }
      post(runtime, element, "save_profile", data).then(function () {
        if (!asking) { say(status, strings.saved); return; }
        form.hidden = true;
        var note = document.createElement("p");
        note.className = "ll-status";
        note.setAttribute("role", "status");
        note.textContent = strings.thanks_profile || "";
        form.parentNode.insertBefore(note, form.nextSibling);
      }, function (error) { say(status, error.message, true); });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); send(true); });
    form.querySelector("[data-consent='no']").addEventListener("click", function () { send(false); });
  }

  /* The block's settings, handed over as a json_script element next to its HTML. */
  function readConfig(element, args) {
    var node = document.getElementById(args && args.config_id);
    return node ? JSON.parse(node.textContent) : {};
  }

  /* How every block's JS starts: its DOM element (the runtime may pass a jQuery object), its config,
     the root of its own markup (``rootSelector``) and its translated strings. */
  function blockParts(element, args, rootSelector) {
    element = rootOf(element);
    var config = readConfig(element, args);
    return {element: element, config: config, root: element.querySelector(rootSelector) || element,
            strings: config.strings || {}};
  }

  global.LifelongXBlocks = {
    readConfig: readConfig, post: post, postForm: postForm, format: format, say: say, rootOf: rootOf,
    bindComfort: bindComfort, bindProfile: bindProfile, blockParts: blockParts
  };
}(window));
