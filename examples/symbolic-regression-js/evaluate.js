#!/usr/bin/env node
'use strict';
// Strict evaluator for the symbolic-regression example.
//
// Usage: node evaluate.js [model.js]
//
// Loads the candidate into a fresh V8 context (node:vm), with a time limit, and calls
// predict(x) on 61 fixed points x = -3.0, -2.9, ..., 3.0. The targets come from a hidden
// formula that is fixed in this file. Every prediction must be a finite number. NaN,
// Infinity, strings, booleans, undefined and objects all make the candidate invalid.
//
// Result, written to $KAIZEN_RESULT when set and always printed as the last stdout line:
//   {"score": -MSE, "correct": true|false,
//    "metrics": {"mse": ..., "rmse": ..., "max_abs_error": ...},
//    "feedback": "..."}
// An invalid candidate, one that throws, and one that runs out of time all get
// "correct": false with the reason in "feedback". The exit status is 0 all the same.

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const TIME_LIMIT_MS = 5000;
const XS = Array.from({ length: 61 }, (_, i) => (i - 30) / 10);

// The hidden formula. It is reachable from the seed's terms by tuning and deleting.
function hidden(x) {
  return 0.7 - 1.2 * x + 2.0 * Math.sin(1.5 * x) + 0.8 * x * x;
}
const YS = XS.map(hidden);

class Invalid extends Error {}

function fmt(v) {
  if (typeof v !== 'number') return String(v);
  if (v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6)) return String(Number(v.toPrecision(6)));
  return v.toExponential(3);
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return 'a string (' + JSON.stringify(v.slice(0, 40)) + ')';
  if (typeof v === 'boolean') return 'a boolean (' + v + ')';
  if (typeof v === 'bigint') return 'a bigint (' + v + 'n)';
  return typeof v === 'object' ? 'an object' : 'a ' + typeof v;
}

/** Runs the candidate file and returns its predictions for XS (an array from the candidate's realm). */
function runCandidate(file, timeLimitMs) {
  const source = fs.readFileSync(file, 'utf8');
  const stub = function require(name) {
    throw new Error('require(' + JSON.stringify(String(name)) + ') is not available: predict(x) may use only built-ins such as Math');
  };
  stub.main = undefined;
  const quiet = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
  const sandbox = { console: { log: quiet, error: quiet, warn: quiet, info: quiet }, require: stub };
  sandbox.module = { exports: {} };
  sandbox.exports = sandbox.module.exports;
  const context = vm.createContext(sandbox);
  vm.runInContext(source, context, { filename: path.basename(file), timeout: timeLimitMs });
  context.__kaizenXs = XS.slice();
  return vm.runInContext(
    '(function () {\n' +
    '  var m = typeof module === "object" && module !== null ? module.exports : undefined;\n' +
    '  var f = m !== null && m !== undefined && typeof m.predict === "function" ? m.predict\n' +
    '        : (typeof predict === "function" ? predict : null);\n' +
    '  if (f === null) { throw new Error("the candidate defines no predict(x) function"); }\n' +
    '  var out = [];\n' +
    '  for (var i = 0; i < __kaizenXs.length; i++) { out.push(f(__kaizenXs[i])); }\n' +
    '  return out;\n' +
    '})()',
    context, { filename: 'evaluate.js (driver)', timeout: timeLimitMs });
}

/** Checks the predictions; returns {mse, rmse, maxErr, worst} or throws Invalid. */
function validate(out) {
  if (!Array.isArray(out) || out.length !== XS.length) {
    throw new Invalid('expected ' + XS.length + ' predictions, got ' + describe(out));
  }
  const bad = [];
  for (let i = 0; i < XS.length; i++) {
    const v = out[i];
    let why = null;
    if (typeof v !== 'number') why = 'is not a number: predict(' + XS[i] + ') returned ' + describe(v);
    else if (Number.isNaN(v)) why = 'is NaN: predict(' + XS[i] + ') returned NaN';
    else if (!Number.isFinite(v)) why = 'is infinite: predict(' + XS[i] + ') returned ' + v;
    if (why !== null) bad.push({ i, why });
  }
  if (bad.length > 0) {
    const listed = bad.slice(0, 3).map((b) => 'prediction ' + b.i + ' ' + b.why).join('; ');
    const more = bad.length > 3 ? '; and ' + (bad.length - 3) + ' more' : '';
    throw new Invalid(bad.length + ' of ' + XS.length + ' predictions are not finite numbers: ' + listed + more);
  }
  let sum = 0;
  let maxErr = -1;
  let worst = 0;
  for (let i = 0; i < XS.length; i++) {
    const err = out[i] - YS[i];
    sum += err * err;
    if (Math.abs(err) > maxErr) {
      maxErr = Math.abs(err);
      worst = i;
    }
  }
  const mse = sum / XS.length;
  if (!Number.isFinite(mse)) {
    throw new Invalid('predictions are so large that the squared error overflows (at x = ' + XS[worst] + ', predicted ' + fmt(out[worst]) + ')');
  }
  return { mse, rmse: Math.sqrt(mse), maxErr, worst, predicted: out[worst] };
}

function invalid(feedback) {
  return { score: 0, correct: false, metrics: { mse: 0, rmse: 0, max_abs_error: 0 }, feedback };
}

function where(e, file) {
  const stack = e && typeof e.stack === 'string' ? e.stack : '';
  const m = stack.match(new RegExp(path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + ':(\\d+)'));
  return m ? ' (at ' + path.basename(file) + ' line ' + m[1] + ')' : '';
}

/** Runs and checks one candidate file; returns the result object. Never throws. */
function evaluate(file, timeLimitMs = TIME_LIMIT_MS) {
  let out;
  try {
    out = runCandidate(file, timeLimitMs);
  } catch (e) {
    if (e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return invalid('candidate timed out after ' + timeLimitMs / 1000 + ' s');
    }
    const name = e && typeof e.name === 'string' ? e.name : 'exception';
    const message = e && typeof e.message === 'string' ? e.message : String(e);
    return invalid('candidate threw ' + name + ': ' + message.split('\n')[0] + where(e, file));
  }
  let r;
  try {
    r = validate(out);
  } catch (e) {
    if (e instanceof Invalid) return invalid('invalid model: ' + e.message);
    return invalid('invalid model: cannot read the predictions (' + (e && e.message) + ')');
  }
  const feedback = 'MSE ' + fmt(r.mse) + ' on ' + XS.length + ' points in [-3, 3] (RMSE ' + fmt(r.rmse) +
    '); largest error ' + fmt(r.maxErr) + ' at x = ' + XS[r.worst] + ' (predicted ' + fmt(r.predicted) +
    ', expected ' + fmt(YS[r.worst]) + ')';
  return { score: -r.mse, correct: true, metrics: { mse: r.mse, rmse: r.rmse, max_abs_error: r.maxErr }, feedback };
}

function main() {
  const file = path.resolve(process.argv[2] || 'model.js');
  let line;
  try {
    line = JSON.stringify(evaluate(file));
  } catch (e) {
    line = JSON.stringify(invalid('evaluator error: ' + (e && e.message)));
  }
  if (process.env.KAIZEN_RESULT) {
    fs.writeFileSync(process.env.KAIZEN_RESULT, line + '\n');
  }
  process.stdout.write(line + '\n');
}

module.exports = { evaluate, validate, XS, YS };

if (require.main === module) {
  main();
}
