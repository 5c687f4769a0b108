/* The lesson player: tracks the intervals really played and reports them to the server,
   which decides coverage.  Seeking is never counted as playing. */
(function (global) {
  "use strict";
  if (global.LifelongXBlocks.Player) { return; }
  var L = global.LifelongXBlocks;
  var REPORT_EVERY_MS = 15000;
  /* A report the server could not take yet (offline, or more playback than the time since the last
     accepted report allows, as when a slow link delivers reports late) keeps its intervals and is
     sent again after these pauses; the server's clock has moved on by then. */
  var RETRY_AFTER_MS = [5000, 10000, 20000, 40000, 60000];

  function Player(runtime, element, root, config, onReport) {
    this.runtime = runtime; this.element = element; this.root = root; this.config = config;
    this.media = root.querySelector(".ll-player");
    this.onReport = onReport || this.showCoverage.bind(this);
    this.pending = [];          /* closed [start, end] intervals not yet sent */
    this.segmentStart = null;   /* where the current uninterrupted playback began */
    this.lastTime = 0;
    this.started = false;
    this.sending = false;
    this.retries = 0;
    this.retryTimer = null;
    if (this.media) { this.bind(); }
  }

  Player.prototype.bind = function () {
    var self = this, media = this.media;
    media.playbackRate = this.config.comfort.playback_rate || 1;
    function resume() {
      var position = self.config.position || 0;
      if (position > 1 && isFinite(media.duration) && position < media.duration - 3) {
        media.currentTime = position;
        self.lastTime = position;
        L.say(self.root.querySelector("[data-ll-coverage]"),
          L.format(self.config.strings.resumed, {time: formatTime(position)}));
      }
    }
    /* A cached file may have its metadata before this script runs: resume then as well. */
    if (media.readyState >= 1) { resume(); } else { media.addEventListener("loadedmetadata", resume, {once: true}); }
    media.addEventListener("loadedmetadata", function () {   /* load() resets the speed */
      media.playbackRate = self.config.comfort.playback_rate || 1;
    });
    media.addEventListener("playing", function () {
      if (!self.started) { self.started = true; self.send(); }   /* starts the server's clock */
      /* "playing" also follows a stall ("waiting" while the network catches up): the segment
         played before the stall is still open and goes on; starting a new one would lose it. */
      if (self.segmentStart === null) { self.segmentStart = media.currentTime; self.lastTime = media.currentTime; }
    });
    media.addEventListener("timeupdate", function () {
      if (self.segmentStart !== null && !media.seeking) { self.lastTime = media.currentTime; }
      self.highlightCue(media.currentTime);
    });
    media.addEventListener("seeking", function () { self.closeSegment(); });
    media.addEventListener("seeked", function () {
      self.lastTime = media.currentTime;
      if (!media.paused) { self.segmentStart = media.currentTime; }
    });
    media.addEventListener("pause", function () { self.closeSegment(); self.send(); });
    media.addEventListener("ended", function () { self.closeSegment(); self.send(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { self.cut(); self.send(true); }
    });
    setInterval(function () { if (!media.paused) { self.cut(); self.send(); } }, REPORT_EVERY_MS);

    var speed = this.root.querySelector("[data-ll-speed]");
    if (speed) {
      speed.addEventListener("change", function () {
        var rate = parseFloat(speed.value);
        media.playbackRate = rate;
        self.config.comfort.playback_rate = rate;
        if (self.config.signed_in) { L.post(self.runtime, self.element, "save_comfort", {playback_rate: rate}).catch(function () {}); }
      });
    }
    this.bindTranscript();
  };

  Player.prototype.closeSegment = function () {
    if (this.segmentStart !== null && this.lastTime > this.segmentStart) {
      this.pending.push([this.segmentStart, this.lastTime]);
    }
    this.segmentStart = null;
  };

  /* Close the running segment here and go on from the same point: lets a report include it. */
  Player.prototype.cut = function () {
    if (this.segmentStart === null) { return; }
    var now = this.media.currentTime;
    this.lastTime = now;
    this.closeSegment();
    if (!this.media.paused) { this.segmentStart = now; }
  };

  Player.prototype.send = function (keepalive) {
    var self = this;
    if (!this.config.signed_in || this.sending) { return; }
    var intervals = this.pending.splice(0, this.pending.length);
    if (!intervals.length && this.started !== true) { return; }
    var duration = isFinite(this.media.duration) ? this.media.duration : 0;
    this.sending = true;
    L.post(this.runtime, this.element, "report_progress",
      {intervals: intervals, position: this.media.currentTime || 0, duration: duration}, {keepalive: keepalive})
      .then(function (answer) {
        self.sending = false;
        self.retries = 0;
        self.started = "reported";
        if (self.onReport) { self.onReport(answer); }
        /* Intervals closed while this report was on its way (e.g. "ended" right after a timed
           report) would otherwise wait for an event that may never come. */
        if (self.pending.length) { self.send(keepalive); }
      }, function (error) {
        self.sending = false;
        var status = self.root.querySelector("[data-ll-coverage]");
        var later = error.status === 0 || error.status === 409;
        if (later && self.retries < RETRY_AFTER_MS.length) {
          self.pending = intervals.concat(self.pending);   /* keep them for a later report */
          clearTimeout(self.retryTimer);
          self.retryTimer = setTimeout(function () { self.send(); }, RETRY_AFTER_MS[self.retries]);
          self.retries += 1;
          if (error.status === 0) { L.say(status, self.config.strings.network_error, true); }
        } else {
          L.say(status, error.message || self.config.strings.report_refused, true);
        }
      });
  };

  Player.prototype.swapSources = function (choice) {
    var media = this.media;
    if (!media || !choice.sources.length) { return; }
    this.cut(); this.send();
    var time = media.currentTime, wasPlaying = !media.paused;
    media.querySelectorAll("source").forEach(function (node) { node.remove(); });
    media.src = choice.sources[0].url;
    media.load();
    media.addEventListener("loadedmetadata", function once() {
      media.removeEventListener("loadedmetadata", once);
      media.currentTime = time;
      if (wasPlaying) { media.play().catch(function () {}); }
    });
  };

  Player.prototype.bindTranscript = function () {
    var self = this, root = this.root;
    this.cues = Array.prototype.slice.call(root.querySelectorAll(".ll-cue"));
    this.cues.forEach(function (button) {
      button.addEventListener("click", function () {
        if (self.media) { self.media.currentTime = parseFloat(button.getAttribute("data-start")); self.media.focus(); }
      });
    });
    var search = root.querySelector("[data-ll-transcript-search]");
    if (!search) { return; }
    search.addEventListener("input", function () {
      var needle = search.value.trim().toLowerCase(), shown = 0;
      self.cues.forEach(function (button) {
        var match = !needle || button.textContent.toLowerCase().indexOf(needle) !== -1;
        button.parentNode.hidden = !match;
        if (match) { shown += 1; }
      });
      L.say(root.querySelector("[data-ll-transcript-status]"), shown ? "" : self.config.strings.no_matches);
    });
  };

  Player.prototype.highlightCue = function (time) {
    if (!this.cues) { return; }
    var active = null;
    this.cues.forEach(function (button) {
      if (parseFloat(button.getAttribute("data-start")) <= time) { active = button; }
    });
    this.cues.forEach(function (button) { button.classList.toggle("ll-cue-active", button === active); });
  };

  /* The server's answer to a report: the coverage meter, the "Played: n%" line and, once earned,
     the block's "Completed" badge (both blocks that play lessons show the same). */
  Player.prototype.showCoverage = function (answer) {
    var root = this.root, strings = this.config.strings;
    var percent = Math.round((answer.coverage || 0) * 100);
    var meter = root.querySelector(".ll-meter");
    if (meter) {
      meter.setAttribute("aria-valuenow", String(percent));
      meter.querySelector(".ll-meter-fill").style.width = percent + "%";
    }
    L.say(root.querySelector("[data-ll-coverage]"),
      L.format(strings.watched, {percent: percent}) + (answer.completed ? " · " + strings.completed : ""));
    var badge = root.querySelector("[data-ll-completed]");
    if (badge && answer.completed) { badge.hidden = false; }
  };

  function formatTime(seconds) {
    var s = Math.floor(seconds % 60), m = Math.floor(seconds / 60);
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  global.LifelongXBlocks.Player = Player;
}(window));
