/* Studio: a form for the quick-check questions instead of raw JSON.  It wraps the editor of
   xblock.utils' StudioEditableXBlockMixin and keeps the "questions" field's textarea in sync,
   so saving, validation messages and "Clear Value" work as for every other field. */
function LifelongStudioEditor(runtime, element, args) {
  "use strict";
  element = element && element.jquery ? element[0] : element;
  window.StudioEditableXBlockMixin(runtime, element);
  var node = document.getElementById(args && args.config_id);
  var config = node ? JSON.parse(node.textContent) : {strings: {}};
  var t = config.strings;
  var field = element.querySelector("li[data-field-name='questions'] .field-data-control");
  if (!field) { return; }
  var MAX_QUESTIONS = 10, MAX_CHOICES = 8;
  var questions;
  try { questions = JSON.parse(field.value || "[]"); } catch (error) { return; }   /* leave broken JSON to the author */
  if (!Array.isArray(questions)) { return; }

  var builder = document.createElement("div");
  builder.className = "ll-qc-builder";
  field.parentNode.insertBefore(builder, field);
  field.hidden = true;
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "ll-qc-json-toggle";
  toggle.textContent = t.edit_json;
  toggle.addEventListener("click", function () {
    field.hidden = !field.hidden;
    builder.hidden = !field.hidden;
    if (builder.hidden) { return; }
    try { questions = JSON.parse(field.value || "[]"); draw(); } catch (error) { field.hidden = false; builder.hidden = true; }
  });
  field.parentNode.insertBefore(toggle, field);

  function nextId(prefix, items) {
    var used = {}, n = 1;
    items.forEach(function (item) { used[item.id] = true; });
    while (used[prefix + n]) { n += 1; }
    return prefix + n;
  }

  function store() {
    field.value = JSON.stringify(questions);
    field.dispatchEvent(new Event("change", {bubbles: true}));   /* marks the field as set for the mixin */
  }

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

  function button(text, onClick, disabled) {
    var item = el("button", {type: "button", "class": "ll-qc-button"}, text);
    item.disabled = Boolean(disabled);
    item.addEventListener("click", function () { onClick(); store(); draw(); });
    return item;
  }

  function drawQuestion(question, index) {
    var box = el("fieldset", {"class": "ll-qc-question"});
    box.appendChild(el("legend", {}, t.question.replace("{number}", index + 1)));
    var prompt = el("textarea", {rows: "2"});
    prompt.value = question.prompt || "";
    prompt.addEventListener("input", function () { question.prompt = prompt.value; store(); });
    box.appendChild(labelled(t.prompt, prompt));

    var kind = el("select");
    [["single", t.single], ["multiple", t.multiple]].forEach(function (option) {
      var item = el("option", {value: option[0]}, option[1]);
      item.selected = (question.kind || "single") === option[0];
      kind.appendChild(item);
    });
    kind.addEventListener("change", function () {
      question.kind = kind.value;
      if (kind.value === "single") {   /* keep exactly one correct choice */
        var first = true;
        question.choices.forEach(function (choice) { if (choice.correct && !first) { delete choice.correct; } if (choice.correct) { first = false; } });
      }
      store(); draw();
    });
    box.appendChild(labelled(t.kind, kind));

    var list = el("ol", {"class": "ll-qc-choices"});
    question.choices.forEach(function (choice, choiceIndex) {
      var row = el("li");
      var text = el("input", {type: "text", "aria-label": t.choice_text.replace("{number}", choiceIndex + 1)});
      text.value = choice.text || "";
      text.addEventListener("input", function () { choice.text = text.value; store(); });
      var correct = el("input", {type: question.kind === "multiple" ? "checkbox" : "radio",
                                 name: "ll-qc-" + question.id});
      correct.checked = choice.correct === true;
      correct.addEventListener("change", function () {
        if (question.kind !== "multiple") { question.choices.forEach(function (other) { delete other.correct; }); }
        if (correct.checked) { choice.correct = true; } else { delete choice.correct; }
        store();
      });
      row.appendChild(text);
      row.appendChild(labelled(t.correct, correct));
      row.appendChild(button(t.remove_choice, function () { question.choices.splice(choiceIndex, 1); },
                             question.choices.length <= 2));
      list.appendChild(row);
    });
    box.appendChild(list);
    box.appendChild(button(t.add_choice, function () {
      question.choices.push({id: nextId("c", question.choices), text: ""});
    }, question.choices.length >= MAX_CHOICES));

    var explanation = el("textarea", {rows: "2"});
    explanation.value = question.explanation || "";
    explanation.addEventListener("input", function () { question.explanation = explanation.value; store(); });
    box.appendChild(labelled(t.explanation, explanation));
    box.appendChild(button(t.remove_question, function () { questions.splice(index, 1); }));
    return box;
  }

  function draw() {
    builder.textContent = "";
    questions.forEach(function (question, index) {
      question.choices = Array.isArray(question.choices) ? question.choices : [];
      builder.appendChild(drawQuestion(question, index));
    });
    builder.appendChild(button(t.add_question, function () {
      questions.push({id: nextId("q", questions), kind: "single", prompt: "",
                      choices: [{id: "c1", text: "", correct: true}, {id: "c2", text: ""}], explanation: ""});
    }, questions.length >= MAX_QUESTIONS));
  }

  /* "Clear Value" of the mixin puts the default back into the textarea: show that. */
  var reset = element.querySelector("li[data-field-name='questions'] button.setting-clear");
  if (reset) {
    reset.addEventListener("click", function () {
      setTimeout(function () {
        try { questions = JSON.parse(field.value || "[]"); } catch (error) { questions = []; }
        draw();
      }, 0);
    });
  }

  draw();
}
window.LifelongStudioEditor = LifelongStudioEditor;
