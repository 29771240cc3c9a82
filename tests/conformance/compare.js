#!/usr/bin/env node
"use strict";
// Runs two conformance drivers, each against its own fresh chronoscope-sandbox, and compares
// their results scenario by scenario, field by field.
//
//   node compare.js --sandbox PATH --a kurrent|eventstore|PATH --b kurrent|eventstore|PATH
//                   [--keep DIR] [--scenarios FILE]
//
// A driver given as a path is an executable taking --port and --scenarios (the C++ driver).
// Exit status: 0 = identical, 1 = mismatch or failure. Never "skipped": a missing node_modules
// is a failure, because a conformance run that did not happen must not look green.

const { spawn, execFileSync } = require("child_process");
const os = require("os");
const fs = require("fs");
const path = require("path");

const FROZEN_CLOCK_MS = "1700000000000";
const SANDBOX_START_TIMEOUT_MS = 20000;
const DRIVER_TIMEOUT_MS = 130000; // two runs must fit in CTest's 300 s
const NODE_DRIVERS = {
  kurrent: { script: "kurrent.js", pkg: "@kurrent/kurrentdb-client" },
  eventstore: { script: "eventstore.js", pkg: "@eventstore/db-client" },
};

function parseArgs(argv) {
  const args = { scenarios: path.join(__dirname, "scenarios.json") };
  for (let i = 2; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, "");
    if (!["sandbox", "a", "b", "keep", "scenarios"].includes(key) || i + 1 >= argv.length)
      fail(`bad argument ${argv[i]}`);
    args[key] = argv[++i];
  }
  for (const k of ["sandbox", "a", "b"]) if (!args[k]) fail(`--${k} is required`);
  return args;
}

function fail(message) {
  process.stderr.write(`compare.js: ${message}\n`);
  process.exit(1);
}

function driverOf(spec) {
  const known = NODE_DRIVERS[spec];
  if (known) {
    try {
      require.resolve(known.pkg, { paths: [__dirname] });
    } catch {
      fail(`${known.pkg} is not installed: run "npm ci" in ${__dirname}`);
    }
    return { label: spec, command: process.execPath, args: [path.join(__dirname, known.script)] };
  }
  if (!fs.existsSync(spec)) fail(`driver ${spec} is neither kurrent, eventstore nor an existing executable`);
  const base = path.basename(spec);
  return { label: /cpp/.test(base) ? "cpp" : base, command: spec, args: [] };
}

// A scenario file with "secure": true runs against a TLS sandbox with authentication, with
// certificates made for this run only (tests/support/make-test-certs.sh); drivers get --ca.
function makeCertificates() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "conformance-certs-"));
  execFileSync("bash", [path.join(__dirname, "..", "support", "make-test-certs.sh"), dir], { stdio: ["ignore", "ignore", "inherit"] });
  return dir;
}

// `sandboxArgs` in the scenario file: extra options a scenario set needs (e.g. the system projections).
// `port`: where to listen (0: any free port; a restart listens where the sandbox it replaces did).
function sandboxArgs(certs, extraArgs, port = 0) {
  const common = ["--listen", `127.0.0.1:${port}`, "--frozen-clock", FROZEN_CLOCK_MS, ...extraArgs];
  if (!certs) return [...common, "--insecure"];
  return [
    ...common,
    "--certificate-file", path.join(certs, "server.crt"),
    "--certificate-private-key-file", path.join(certs, "server.key"),
    "--trusted-root-certificates-path", path.join(certs, "ca.crt"),
  ];
}

// `nodes` > 1 (a scenario file's "cluster"): wait for every node's "listening on" line.
function startSandbox(binary, certs, extraArgs = [], nodes = 1, port = 0) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, sandboxArgs(certs, extraArgs, port), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`sandbox printed no "listening on" line in ${SANDBOX_START_TIMEOUT_MS} ms\n${err}`));
    }, SANDBOX_START_TIMEOUT_MS);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      const ports = [...out.matchAll(/^listening on 127\.0\.0\.1:(\d+)$/gm)].map((m) => Number(m[1]));
      if (ports.length >= nodes && !child.port) {
        clearTimeout(timer);
        child.port = ports[0];
        child.ports = ports.slice(0, nodes);
        resolve(child);
      }
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code, signal) => {
      child.exitStatus = { code, signal, stderr: err };
      if (!child.port) {
        clearTimeout(timer);
        reject(new Error(`sandbox exited (${code ?? signal}) before listening\n${err}`));
      }
    });
  });
}

function stopSandbox(child) {
  return new Promise((resolve) => {
    if (child.exitStatus) return resolve(child.exitStatus);
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr: child.exitStatus?.stderr ?? "" });
    });
    child.kill("SIGTERM");
  });
}

// `sandboxPid`: the failover steps kill the cluster's leader with SIGUSR2 to the sandbox.
// `restart`: a `restart` step's driver prints "@@restart" on stderr and waits for a line on its
// stdin; the sandbox is restarted meanwhile (restart() resolves once the new one listens).
function runDriver(driver, port, scenarios, certs, ports, sandboxPid, restart) {
  const ca = certs ? ["--ca", path.join(certs, "ca.crt")] : [];
  const cluster = ports && ports.length > 1 ? ["--ports", ports.join(","), "--sandbox-pid", String(sandboxPid)] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(driver.command, [...driver.args, "--port", String(port), "--scenarios", scenarios, ...ca, ...cluster], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, DRIVER_TIMEOUT_MS);
    child.stdout.on("data", (d) => (out += d));
    let pending = "";
    child.stderr.on("data", (d) => {
      err += d;
      pending += d;
      let nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line !== "@@restart") continue;
        if (!restart) {
          child.stdin.write("refused: this scenario file has no \"db\"\n");
          continue;
        }
        restart().then(() => child.stdin.write("restarted\n"), (e) => {
          process.stderr.write(`compare.js: restart failed: ${e.message}\n`);
          child.stdin.write("failed\n");
        });
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new Error(`driver ${driver.label} did not finish in ${DRIVER_TIMEOUT_MS} ms\n${err}`));
      if (code !== 0) return reject(new Error(`driver ${driver.label} exited (${code ?? signal})\n${err}`));
      for (const line of err.split("\n")) if (line.startsWith("warning:")) process.stdout.write(`${driver.label}: ${line}\n`);
      try {
        resolve(JSON.parse(out));
      } catch (e) {
        reject(new Error(`driver ${driver.label} printed no JSON document: ${e.message}\n${err}`));
      }
    });
  });
}

// The stats of the sandboxes of one run (one per restart), added up.
function addStats(a, b) {
  if (a === null || a === undefined) return b;
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (a && b && typeof a === "object" && typeof b === "object") {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = addStats(a[k], v);
    return out;
  }
  return b ?? a;
}

async function runOne(driver, args, spec, certs) {
  // "cluster" and "readOnlyReplicas": `--cluster N --read-only-replicas M`, N + M nodes in all.
  const nodes = (spec.cluster ?? 1) + (spec.readOnlyReplicas ?? 0);
  const clusterArgs = nodes > 1
    ? ["--cluster", String(spec.cluster ?? 1), "--read-only-replicas", String(spec.readOnlyReplicas ?? 0)] : [];
  // How the appends arrived (Append or BatchAppend), written by each sandbox when it exits.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "conformance-run-"));
  const statsFiles = [];
  const statsArgs = () => {
    statsFiles.push(path.join(work, `stats-${statsFiles.length}.json`));
    return ["--stats-file", statsFiles[statsFiles.length - 1]];
  };
  // "db": the sandbox keeps its log in a file of this run, so `restart` steps find the data again.
  const baseArgs = [...(spec.sandboxArgs ?? []), ...clusterArgs, ...(spec.db ? ["--db", path.join(work, "sandbox.log")] : [])];
  let sandbox = await startSandbox(args.sandbox, certs, [...baseArgs, ...statsArgs()], nodes);
  const port = sandbox.port;
  let restartFailure = null;
  // A restart stops the sandbox as SIGTERM does and starts a new one on the same --db and port.
  const restart = spec.db ? async () => {
    try {
      const exit = await stopSandbox(sandbox);
      if (exit.code !== 0) throw new Error(`the sandbox did not exit cleanly on SIGTERM (${exit.code ?? exit.signal})`);
      sandbox = await startSandbox(args.sandbox, certs, [...baseArgs, ...statsArgs()], nodes, port);
    } catch (e) {
      restartFailure = e;
      throw e;
    }
  } : null;
  let result;
  let stats = null;
  try {
    result = await runDriver(driver, port, args.scenarios, certs, sandbox.ports, sandbox.pid, restart);
  } finally {
    const crashed = sandbox.exitStatus;
    const exit = await stopSandbox(sandbox);
    if (restartFailure) throw new Error(`restarting the sandbox during the ${driver.label} run failed: ${restartFailure.message}`);
    if (crashed) throw new Error(`sandbox died during the ${driver.label} run (${crashed.code ?? crashed.signal})\n${crashed.stderr}`);
    if (exit.code !== 0) process.stderr.write(`warning: sandbox did not exit cleanly on SIGTERM (${exit.code ?? exit.signal})\n`);
    for (const f of statsFiles) if (fs.existsSync(f)) stats = addStats(stats, JSON.parse(fs.readFileSync(f, "utf8")));
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { result, stats };
}

// --- normalisation: only the documented, deliberate tolerances ---

// Ids the scenarios fix are compared exactly; every other id (setStreamMetadata events, the
// server's own $metadata and $streamDeleted records) is random by design.
function fixedIds(spec) {
  const ids = new Set();
  for (const s of spec.scenarios) for (const st of s.steps) for (const e of st.events ?? []) ids.add(e.id);
  return ids;
}

function normalise(value, ctx) {
  if (Array.isArray(value)) return value.map((v) => normalise(v, ctx));
  if (!value || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "message") continue; // human text differs between clients and is not protocol
    if (k === "id" && typeof v === "string" && "streamId" in value) out[k] = ctx.ids.has(v) ? v : "<generated>";
    // A projection link's `$causedBy` names the event it indexes, random when that is a server record (a tombstone).
    else if (k === "$causedBy" && typeof v === "string") out[k] = ctx.ids.has(v) ? v : "<generated>";
    // A fresh secure node's user records carry a random salt and its hash (Rfc2898PasswordHashAlgorithm).
    else if (k === "data" && value.type === "$UserCreated" && v && typeof v === "object")
      out[k] = { ...normalise(v, ctx), hash: "<generated>", salt: "<generated>" };
    // @kurrent/kurrentdb-client reads through the Rust bridge, which truncates `created` to
    // whole seconds (protocol sheet §5), so compare seconds when it is one side.
    else if (k === "created" && typeof v === "number") out[k] = ctx.seconds ? Math.floor(v / 1000) * 1000 : v;
    else out[k] = normalise(v, ctx);
  }
  return out;
}

const show = (v) => (v === undefined ? "(absent)" : JSON.stringify(v));

// One line per event, for lists that differ in length: a field-by-field cascade would bury them.
function summary(e) {
  if (!e || typeof e !== "object") return show(e);
  const one = (r) => (r ? `${r.streamId}@${r.revision} ${r.type} @${r.position ? r.position.commit : "?"}` : "unresolved");
  return e.streamId === undefined && !e.link ? show(e) : one(e.streamId === undefined ? null : e) + (e.link ? ` via ${one(e.link)}` : "");
}

// A value a client does not expose (see README, "Tolerances") matches anything.
const NOT_EXPOSED = "<not exposed>";

function diff(a, b, where, out) {
  if (a === NOT_EXPOSED || b === NOT_EXPOSED) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(`${where}: ${a.length} vs ${b.length} entries`);
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const [sa, sb] = [summary(a[i]), summary(b[i])];
        out.push(`    [${i}] ${sa}${sa === sb ? "" : `  |  ${sb}`}`);
      }
      return;
    }
    for (let i = 0; i < a.length; i++) diff(a[i], b[i], `${where}[${i}]`, out);
    return;
  }
  const objA = a && typeof a === "object" && !Array.isArray(a);
  const objB = b && typeof b === "object" && !Array.isArray(b);
  if (objA && objB) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], `${where}.${k}`, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${where}: ${show(a)} vs ${show(b)}`);
}

function countEvents(run) {
  let n = 0;
  for (const s of run) for (const step of s.result) n += step.events ? step.events.length : step.summary ? step.summary.count : 0;
  return n;
}

// --- what a driver's own client must have done (scenario expectations checked per run) ---

// Every append step of a scenario, live steps of its subscriptions included, by stream.
function appendSteps(scenario) {
  const byStream = new Map();
  const visit = (step) => {
    if (step.op === "append") byStream.set(step.stream, [...(byStream.get(step.stream) ?? []), step]);
    for (const s of step.live ?? []) visit(s);
  };
  scenario.steps.forEach(visit);
  return byStream;
}

// A scenario's `expectTransport` ({label: "batchAppend" | "append"}) names the RPC each client
// must append through; the sandbox's --stats-file tells what really arrived. Exact counts: each
// append step is one append (one BatchAppend correlation, or one Append call), and through
// BatchAppend as many requests as the step's `expectChunks` (1 when not given).
function checkTransport(label, spec, stats, problems) {
  for (const scenario of spec.scenarios) {
    const via = scenario.expectTransport && scenario.expectTransport[label];
    if (!via) continue;
    if (!stats) {
      problems.push(`${label}: ${scenario.name}: the sandbox wrote no --stats-file`);
      continue;
    }
    for (const [stream, steps] of appendSteps(scenario)) {
      const seen = stats.streams[stream] ?? {};
      const got = { appendCalls: seen.appendCalls ?? 0, batchAppends: seen.batchAppends ?? 0,
        batchAppendRequests: seen.batchAppendRequests ?? 0 };
      const want = via === "batchAppend"
        ? { appendCalls: 0, batchAppends: steps.length, batchAppendRequests: steps.reduce((n, st) => n + (st.expectChunks ?? 1), 0) }
        : { appendCalls: steps.length, batchAppends: 0, batchAppendRequests: 0 };
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`${label}: ${scenario.name}: appends to ${stream} should go through ${via}: ${show(want)}, the sandbox saw ${show(got)}`);
    }
  }
}

// A scenario file's `expectGrpcMethods` (["PersistentSubscriptions.Create", …]) lists calls every
// client must have made over gRPC (the sandbox's --stats-file "methods"): a client that fell back to
// another path (the official clients' HTTP API) would not be counted there.
function checkGrpcMethods(label, spec, stats, problems) {
  for (const method of spec.expectGrpcMethods ?? []) {
    const calls = stats && stats.methods ? stats.methods[method] ?? 0 : 0;
    if (calls < 1) problems.push(`${label}: the sandbox saw no gRPC call of ${method}`);
  }
}

// A step's `expectRecovery` ({label: …}) is how each client gets through a killed leader (README,
// "Tolerances"): it differs between clients by design, so it is checked against what is
// documented for each, then left out of the field-by-field comparison. `expectCount`: the
// summary's count, checked on each run (so two runs cannot agree on the same loss).
function checkExpectations(label, run, spec, problems) {
  spec.scenarios.forEach((scenario, i) => {
    scenario.steps.forEach((step, j) => {
      const got = run[i].result[j];
      if (!got) return; // checkRun reports the missing step
      if (step.expectRecovery) {
        const want = step.expectRecovery[label];
        if (want === undefined) problems.push(`${label}: ${scenario.name} step ${j}: no expectRecovery for ${label}`);
        // A list holds the outcomes a client may show, where the way the call is cut depends on timing.
        else if (!(Array.isArray(want) ? want : [want]).some((w) => JSON.stringify(got.recovery) === JSON.stringify(w)))
          problems.push(`${label}: ${scenario.name} step ${j} (${got.step}): recovered with ${show(got.recovery)}, expected ${show(want)}`);
        delete got.recovery;
      }
      if (step.expectCount !== undefined && (!got.summary || got.summary.count !== step.expectCount))
        problems.push(`${label}: ${scenario.name} step ${j} (${got.step}): ${got.summary ? got.summary.count : "no"} events, expected ${step.expectCount}`);
    });
  });
}

function checkRun(label, run, spec, problems) {
  const names = spec.scenarios.map((s) => s.name);
  const got = Array.isArray(run) ? run.map((s) => s.scenario) : [];
  if (JSON.stringify(names) !== JSON.stringify(got)) {
    problems.push(`${label}: scenarios ${show(got)} do not match scenarios.json ${show(names)}`);
    return;
  }
  run.forEach((s, i) => {
    if (s.result.length !== spec.scenarios[i].steps.length)
      problems.push(`${label}: scenario ${s.scenario} has ${s.result.length} results for ${spec.scenarios[i].steps.length} steps`);
    s.result.forEach((step, j) => {
      if (step.error && step.error.kind === "driver-exception")
        problems.push(`${label}: ${s.scenario} step ${j} (${step.step}): driver exception: ${step.error.message}`);
    });
  });
  const events = countEvents(run);
  if (events < spec.minEvents) problems.push(`${label}: only ${events} events read in all (at least ${spec.minEvents} expected)`);
  return events;
}

async function main() {
  const args = parseArgs(process.argv);
  if (!fs.existsSync(path.join(__dirname, "node_modules"))) fail(`node_modules is missing: run "npm ci" in ${__dirname}`);
  const spec = JSON.parse(fs.readFileSync(args.scenarios, "utf8"));
  const A = driverOf(args.a);
  const B = driverOf(args.b);
  if (A.label === B.label) fail("--a and --b name the same driver");

  const certs = spec.secure ? makeCertificates() : null;
  const runs = [];
  const statsOf = [];
  try {
    for (const d of [A, B]) {
      const started = Date.now();
      const { result, stats } = await runOne(d, args, spec, certs);
      runs.push(result);
      statsOf.push(stats);
      process.stdout.write(`ran ${d.label} in ${Date.now() - started} ms\n`);
      if (args.keep) {
        fs.mkdirSync(args.keep, { recursive: true });
        fs.writeFileSync(path.join(args.keep, `${d.label}.json`), JSON.stringify(runs[runs.length - 1], null, 1));
        fs.writeFileSync(path.join(args.keep, `${d.label}.stats.json`), JSON.stringify(stats, null, 1));
      }
    }
  } finally {
    if (certs) fs.rmSync(certs, { recursive: true, force: true });
  }

  const problems = [];
  const counts = [checkRun(A.label, runs[0], spec, problems), checkRun(B.label, runs[1], spec, problems)];
  [A, B].forEach((d, k) => {
    checkTransport(d.label, spec, statsOf[k], problems);
    checkGrpcMethods(d.label, spec, statsOf[k], problems);
    if (Array.isArray(runs[k]) && runs[k].length === spec.scenarios.length) checkExpectations(d.label, runs[k], spec, problems);
  });
  const ctx = { ids: fixedIds(spec), seconds: A.label === "kurrent" || B.label === "kurrent" };
  let mismatches = 0;
  const skipped = [];
  if (!problems.length) {
    spec.scenarios.forEach((scenario, i) => {
      const lines = [];
      scenario.steps.forEach((step, j) => {
        const ra = normalise(runs[0][i].result[j], ctx);
        const rb = normalise(runs[1][i].result[j], ctx);
        // A driver marks a step its client cannot express; it is listed, never silently passed.
        if (ra.unsupported || rb.unsupported) return skipped.push(`${scenario.name} step ${j}: ${ra.unsupported || rb.unsupported}`);
        diff(ra, rb, `step ${j} (${ra.step})`, lines);
      });
      if (lines.length) {
        mismatches += lines.filter((l) => !l.startsWith("    ")).length;
        process.stdout.write(`\nMISMATCH in scenario ${scenario.name} (${A.label} vs ${B.label}):\n`);
        for (const l of lines) process.stdout.write(`  ${l}\n`);
      }
    });
  }
  if (skipped.length) process.stdout.write(`\nnot compared (client limitation):\n${skipped.map((l) => `  ${l}\n`).join("")}`);
  for (const p of problems) process.stdout.write(`FAILED: ${p}\n`);
  const verdict = problems.length || mismatches ? "FAIL" : "PASS";
  process.stdout.write(
    `\n${verdict}: ${A.label} vs ${B.label}: ${spec.scenarios.length} scenarios, ` +
      `${counts[0]} / ${counts[1]} events read, ${mismatches} mismatches, ${skipped.length} steps not compared` +
      (ctx.seconds ? " (created compared in whole seconds)" : "") + "\n",
  );
  process.exit(verdict === "PASS" ? 0 : 1);
}

if (require.main === module) main().catch((e) => fail((e && e.stack) || String(e)));
module.exports = { normalise, diff, fixedIds };
