/* lifelong_microlesson: the player, "I have finished reading", and the quick check. */
function LifelongMicroLesson(runtime, element, args) {
  "use strict";
  var L = window.LifelongXBlocks;
  var parts = L.blockParts(element, args, ".ll-lesson");
  element = parts.element;
  var config = parts.config, root = parts.root, strings = parts.strings;

  function showCompleted(completed) {
    var badge = root.querySelector("[data-ll-completed]");
    if (badge && completed) { badge.hidden = false; }
  }

  var player = new L.Player(runtime, element, root, config);   /* shows coverage and completion */
  L.bindComfort(runtime, element, root, config, function (name, on) {
    if (name === "low_bandwidth") { player.swapSources(on ? config.low_sources : config.normal_sources); }
  });
  L.bindProfile(runtime, element, root, strings);

  /* Text lessons: the server starts a reading clock when the lesson is opened. */
  var finish = root.querySelector("[data-ll-finish-reading]");
  if (config.kind === "text" && config.signed_in && finish) {
    var readingStatus = root.querySelector("[data-ll-reading-status]");
    L.post(runtime, element, "start_reading", {}).catch(function () {});
    finish.addEventListener("click", function () {
      finish.disabled = true;
      L.post(runtime, element, "finish_reading", {}).then(function (answer) {
        L.say(readingStatus, strings.completed);
        showCompleted(answer.completed);
      }, function (error) {
        finish.disabled = false;
        L.say(readingStatus, error.message || strings.network_error, true);
      });
    });
  }

  /* Quick check: graded on the server; explanations and (at the end) answers come back. */
  var quiz = root.querySelector("[data-ll-quiz]");
  if (quiz && config.signed_in) {
    var quizStatus = quiz.querySelector("[data-ll-quiz-status]");
    quiz.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = {};
      quiz.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
        answers[fieldset.getAttribute("data-question")] = Array.prototype.map.call(
          fieldset.querySelectorAll("input:checked"), function (input) { return input.value; });
      });
      var button = quiz.querySelector("button[type=submit]");
      button.disabled = true;
      L.post(runtime, element, "submit_quick_check", {answers: answers}).then(function (answer) {
        showFeedback(answer);
        button.disabled = answer.attempts_left === 0;
      }, function (error) {
        button.disabled = false;
        L.say(quizStatus, error.message || strings.network_error, true);
      });
    });

    var showFeedback = function (answer) {
      answer.feedback.forEach(function (item) {
        var fieldset = quiz.querySelector("fieldset[data-question='" + CSS.escape(item.id) + "']");
        if (!fieldset) { return; }
        var text = item.correct ? strings.right : strings.wrong;
        if (item.correct_choices) {
          var names = item.correct_choices.map(function (id) {
            var node = fieldset.querySelector("[data-choice-text='" + CSS.escape(id) + "']");
            return node ? node.textContent : id;
          });
          text += " · " + L.format(strings.correct_answer, {answer: names.join(", ")});
        }
        if (item.explanation) { text += " · " + item.explanation; }
        var feedback = fieldset.querySelector("[data-feedback]");
        feedback.textContent = text;   /* textContent: authored text is never parsed as HTML */
        feedback.className = "ll-feedback " + (item.correct ? "ll-right" : "ll-wrong");
      });
      var summary = L.format(strings.score, {score: Math.round(answer.score * 100)}) + " · " +
        (answer.passed ? strings.passed : strings.not_passed);
      if (answer.attempts_left !== null && answer.attempts_left !== undefined) {
        summary += " · " + (answer.attempts_left > 0 ? L.format(strings.attempts_left, {count: answer.attempts_left}) : strings.no_attempts);
      }
      L.say(quizStatus, summary);
      showCompleted(answer.completed);
    };
  }
}
window.LifelongMicroLesson = LifelongMicroLesson;
