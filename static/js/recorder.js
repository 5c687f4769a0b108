/* A small wrapper around MediaRecorder for the blocks that record the learner's voice.
   The format is feature-detected with MediaRecorder.isTypeSupported: the first of the
   block's candidates the browser offers (Opus in WebM in Chromium and Firefox, AAC in MP4 in Safari). */
(function (global) {
  "use strict";
  if (global.LifelongRecorder) { return; }

  function supported() {
    return Boolean(global.MediaRecorder && global.navigator.mediaDevices &&
      global.navigator.mediaDevices.getUserMedia);
  }

  function pickType(candidates) {
    if (!supported()) { return null; }
    for (var i = 0; i < candidates.length; i += 1) {
      if (!global.MediaRecorder.isTypeSupported || global.MediaRecorder.isTypeSupported(candidates[i])) {
        return candidates[i];
      }
    }
    return "";   /* the browser's default format */
  }

  function extensionFor(type) {
    if (/^audio\/mp4|^video\/mp4/.test(type)) { return "m4a"; }
    if (/ogg/.test(type)) { return "ogg"; }
    return "webm";
  }

  /* new LifelongRecorder(candidates, {maxSeconds, onTick(seconds), onStop(blob, seconds, type, atLimit)}) */
  function Recorder(candidates, options) {
    this.type = pickType(candidates);
    this.options = options || {};
    this.recorder = null;
    this.stream = null;
    this.timer = null;
    this.started = 0;
    this.atLimit = false;
  }

  /* Why the microphone could not be used, from getUserMedia's error: "denied", "missing", "busy" or "other". */
  function problemOf(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") { return "denied"; }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") { return "missing"; }
    if (name === "NotReadableError" || name === "AbortError" || name === "TrackStartError") { return "busy"; }
    return "other";
  }

  Recorder.supported = supported;
  Recorder.extensionFor = extensionFor;
  Recorder.problemOf = problemOf;

  Recorder.prototype.recording = function () {
    return Boolean(this.recorder && this.recorder.state === "recording");
  };

  Recorder.prototype.start = function () {
    var self = this;
    return global.navigator.mediaDevices.getUserMedia({audio: true}).then(function (stream) {
      var chunks = [];
      self.stream = stream;
      try {
        self.recorder = self.type ? new global.MediaRecorder(stream, {mimeType: self.type})
          : new global.MediaRecorder(stream);
      } catch (error) {
        stream.getTracks().forEach(function (track) { track.stop(); });   /* the microphone light goes off */
        throw error;
      }
      self.recorder.addEventListener("dataavailable", function (event) {
        if (event.data && event.data.size) { chunks.push(event.data); }
      });
      self.recorder.addEventListener("stop", function () {
        var seconds = (Date.now() - self.started) / 1000;
        var type = self.recorder.mimeType || self.type || "audio/webm";
        global.clearInterval(self.timer);
        self.stream.getTracks().forEach(function (track) { track.stop(); });
        if (self.options.onStop) { self.options.onStop(new Blob(chunks, {type: type}), seconds, type, self.atLimit); }
      });
      self.started = Date.now();
      self.atLimit = false;
      self.recorder.start(1000);
      self.timer = global.setInterval(function () {
        var seconds = (Date.now() - self.started) / 1000;
        if (self.options.onTick) { self.options.onTick(seconds); }
        /* stop a little before the limit: the server measures the file and refuses longer ones */
        if (self.options.maxSeconds && seconds >= self.options.maxSeconds - 0.5) {
          self.atLimit = true;
          self.stop();
        }
      }, 250);
    });
  };

  Recorder.prototype.stop = function () {
    if (this.recording()) { this.recorder.stop(); }
  };

  global.LifelongRecorder = Recorder;
}(window));
