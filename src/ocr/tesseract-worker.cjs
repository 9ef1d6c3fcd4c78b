// The tesseract.js worker thread (its `workerPath`): tesseract.js's own Node worker script, with
// the wasm engine's console chatter ("Estimating resolution as 207", Leptonica's "Error in
// pixReadStream: ...") kept out of the CLI's output and the server log. Failures still reach the
// caller as rejected jobs. HVAC_OCR_DEBUG=1 lets the chatter through.
"use strict";

if (!process.env.HVAC_OCR_DEBUG) {
  const quiet = () => {};
  console.log = quiet;
  console.info = quiet;
  console.warn = quiet;
  console.error = quiet;
}

require("tesseract.js/src/worker-script/node/index.js");
