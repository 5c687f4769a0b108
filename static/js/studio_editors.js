/* Studio: forms instead of raw JSON for the list fields of a block (quick-check questions, video
   qualities, captions, downloads).  Wraps the editor of xblock.utils' StudioEditableXBlockMixin and
   keeps each field's textarea in sync, so saving, validation messages and "Clear Value" stay the
   mixin's.  The layout of each list comes from the block (config.lists). */
function LifelongStudioEditor(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  element = L.rootOf(element);
  window.StudioEditableXBlockMixin(runtime, element);
  var config = L.readConfig(element, args);
  var t = config.strings;

  function el(tag, attrs, text) {
    var item = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { item.setAttribute(name, attrs[name]); });
    if (text !== undefined) { item.textContent = text; }
    return item;
  }

  function labelled(labelText, input) {
    var label = el("label", {"class": "ll-qc-label"});
    label.appendChild(el("span", {}, labelText));
    label.appendChild(input);
    return label;
  }

  function nextId(prefix, items) {
    var used = {}, n = 1;
    items.forEach(function (item) { used[item.id] = true; });
    while (used[prefix + n]) { n += 1; }
    return prefix + n;
  }

  /* Replace one field's JSON textarea by a form drawn by draw(items, form). */
  function formFor(name, draw) {
    var wrapper = element.querySelector("li[data-field-name='" + name + "']");
    var field = wrapper && wrapper.querySelector(".field-data-control");
    if (!field) { return; }
    var items;
    try { items = JSON.parse(field.value || "[]"); } catch (error) { return; }   /* leave broken JSON to the author */
    if (!Array.isArray(items)) { return; }
    var box = el("div", {"class": "ll-qc-builder", "data-ll-form": name});
    var toggle = el("button", {type: "button", "class": "ll-qc-json-toggle"}, t.edit_json);
    field.parentNode.insertBefore(box, field);
    field.parentNode.insertBefore(toggle, field);
    field.hidden = true;

    var form = {
      store: function () {
        field.value = JSON.stringify(items);
        field.dispatchEvent(new Event("change", {bubbles: true}));   /* marks the field as set for the mixin */
      },
      redraw: function () { box.textContent = ""; draw(items, form, box); },
      button: function (text, onClick, disabled) {
        var item = el("button", {type: "button", "class": "ll-qc-button"}, text);
        item.disabled = Boolean(disabled);
        item.addEventListener("click", function () { onClick(); form.store(); form.redraw(); });
        return item;
      },
      input: function (labelText, value, onInput, attrs) {
        var input = el(attrs && attrs.rows ? "textarea" : "input", attrs || {type: "text"});
        input.value = value === undefined || value === null ? "" : value;
        input.addEventListener("input", function () { onInput(input.value); form.store(); });
        return labelled(labelText, input);
      }
    };
    function reload() {
      try { items = JSON.parse(field.value || "[]"); } catch (error) { items = []; }
      if (!Array.isArray(items)) { items = []; }
      form.redraw();
    }
    toggle.addEventListener("click", function () {
      field.hidden = !field.hidden;
      box.hidden = !field.hidden;
      if (!box.hidden) { reload(); }
    });
    var reset = wrapper.querySelector("button.setting-clear");   /* "Clear Value" puts the default back */
    if (reset) { reset.addEventListener("click", function () { setTimeout(reload, 0); }); }
    form.redraw();
  }

  /* A list of flat records (video qualities, captions, downloads), laid out by the block.
     Records written as [value, value, ...] are read in the order of the layout's fields; a
     ``starter`` ({label, items}) offers a ready list while the field is empty. */
  function recordList(layout, starter) {
    return function (items, form, box) {
      items.forEach(function (item, index) {
        if (Array.isArray(item)) {
          var record = {};
          layout.fields.forEach(function (spec, position) {
            if (item[position] !== undefined) { record[spec.key] = item[position]; }
          });
          items[index] = item = record;
        }
        var group = el("fieldset", {"class": "ll-qc-question"});
        group.appendChild(el("legend", {}, layout.item.replace("{number}", index + 1)));
        layout.fields.forEach(function (spec) {
          if (spec.choices) {
            var select = el("select");
            spec.choices.forEach(function (choice) {
              var option = el("option", {value: choice[0]}, choice[1]);
              option.selected = (item[spec.key] || spec.choices[0][0]) === choice[0];
              select.appendChild(option);
            });
            select.addEventListener("change", function () { item[spec.key] = select.value; form.store(); });
            group.appendChild(labelled(spec.label, select));
            return;
          }
          group.appendChild(form.input(spec.label, item[spec.key], function (value) {
            if (spec.number) {
              var number = parseInt(value, 10);
              if (isNaN(number)) { delete item[spec.key]; } else { item[spec.key] = number; }
            } else { item[spec.key] = value; }
          }, spec.rows ? {rows: String(spec.rows)} : {type: spec.number ? "number" : (spec.url ? "url" : "text")}));
        });
        group.appendChild(form.button(layout.remove, function () { items.splice(index, 1); }));
        box.appendChild(group);
      });
      if (starter && !items.length) {
        box.appendChild(form.button(starter.label, function () {
          starter.items.forEach(function (record) { items.push(Object.assign({}, record)); });
        }));
      }
      box.appendChild(form.button(layout.add, function () {
        var fresh = {};
        layout.fields.forEach(function (spec) { if (spec.choices) { fresh[spec.key] = spec.choices[0][0]; } });
        items.push(fresh);
      }, items.length >= layout.max));
    };
  }

  /* The quick check: questions with their choices, one or several right answers. */
  function questionList(items, form, box) {
    items.forEach(function (question, index) {
      question.choices = Array.isArray(question.choices) ? question.choices : [];
      var group = el("fieldset", {"class": "ll-qc-question"});
      group.appendChild(el("legend", {}, t.question.replace("{number}", index + 1)));
      group.appendChild(form.input(t.prompt, question.prompt, function (value) { question.prompt = value; },
                                   {rows: "2"}));
      var kind = el("select");
      [["single", t.single], ["multiple", t.multiple]].forEach(function (option) {
        var item = el("option", {value: option[0]}, option[1]);
        item.selected = (question.kind || "single") === option[0];
        kind.appendChild(item);
      });
      kind.addEventListener("change", function () {
        question.kind = kind.value;
        if (kind.value === "single") {   /* keep exactly one right answer */
          var seen = false;
          question.choices.forEach(function (choice) {
            if (choice.correct && seen) { delete choice.correct; }
            if (choice.correct) { seen = true; }
          });
        }
        form.store(); form.redraw();
      });
      group.appendChild(labelled(t.kind, kind));
      var list = el("ol", {"class": "ll-qc-choices"});
      question.choices.forEach(function (choice, choiceIndex) {
        var row = el("li");
        var text = el("input", {type: "text", "aria-label": t.choice_text.replace("{number}", choiceIndex + 1)});
        text.value = choice.text || "";
        text.addEventListener("input", function () { choice.text = text.value; form.store(); });
        var right = el("input", {type: question.kind === "multiple" ? "checkbox" : "radio", name: "ll-qc-" + question.id});
        right.checked = choice.correct === true;
        right.addEventListener("change", function () {
          if (question.kind !== "multiple") { question.choices.forEach(function (other) { delete other.correct; }); }
          if (right.checked) { choice.correct = true; } else { delete choice.correct; }
          form.store();
        });
        row.appendChild(text);
        row.appendChild(labelled(t.correct, right));
        row.appendChild(form.button(t.remove_choice, function () { question.choices.splice(choiceIndex, 1); },
                                    question.choices.length <= 2));
        list.appendChild(row);
      });
      group.appendChild(list);
      group.appendChild(form.button(t.add_choice, function () {
        question.choices.push({id: nextId("c", question.choices), text: ""});
      }, question.choices.length >= config.max_choices));
      group.appendChild(form.input(t.explanation, question.explanation, function (value) {
        question.explanation = value;
      }, {rows: "2"}));
      group.appendChild(form.button(t.remove_question, function () { items.splice(index, 1); }));
      box.appendChild(group);
    });
    box.appendChild(form.button(t.add_question, function () {
      items.push({id: nextId("q", items), kind: "single", prompt: "",
                  choices: [{id: "c1", text: "", correct: true}, {id: "c2", text: ""}], explanation: ""});
    }, items.length >= config.max_questions));
  }

  Object.keys(config.lists || {}).forEach(function (name) {
    formFor(name, recordList(config.lists[name], (config.starters || {})[name]));
  });
  if (config.questions_field) { formFor(config.questions_field, questionList); }
}
window.LifelongStudioEditor = LifelongStudioEditor;
