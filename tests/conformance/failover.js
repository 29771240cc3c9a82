"use strict";
// The official clients through a leader killed in the middle of a read or a subscription
// (scenarios-failover.json). Neither resumes a call by itself: the call fails, and a user of the
// client issues it again from after the last event received. That is what these helpers do, and
// they report what it took (`recovery`: the error each failed call gave, and whether a new client
// was needed), next to a summary of everything received (count and checksum, generated.js).
//
// The policy, the same for both clients: issue the call again on the same client up to
// SAME_CLIENT_CALLS times, then on a new client (the user gives up on the old one), then fail.
// @kurrent/kurrentdb-client needs the new client for reads: they go through its Rust bridge, which
// after a ServerError without a leader endpoint keeps its handle on the lost node.

const { killLeader } = require("./cluster");
const { summarize } = require("./generated");

const SAME_CLIENT_CALLS = 3;

const brief = (e) => ({ streamId: e.event.streamId, revision: String(e.event.revision), id: e.event.id });

// Calls `attempt(client)` until it resolves. Only failures after the kill are recovered from.
async function withRecovery(client, ctx, state, attempt) {
  let current = client;
  let spare = null;
  try {
    for (;;) {
      try {
        return await attempt(current);
      } catch (err) {
        if (!state.killed || !err || typeof err.type !== "string") throw err;
        state.recovery.errors.push(err.type);
        const calls = state.recovery.errors.length;
        if (calls >= 2 * SAME_CLIENT_CALLS) throw err;
        if (calls === SAME_CLIENT_CALLS) {
          spare = ctx.adapter.connectString(ctx.args.connectionString);
          current = spare;
          state.recovery.newClient = true;
        }
      }
    }
  } finally {
    if (spare) await spare.dispose();
  }
}

function newState() {
  return { killed: false, events: [], recovery: { errors: [], newClient: false } };
}

function outcome(state) {
  // `interrupted`: the kill cut a call under way (else the scenario tested nothing).
  return { summary: summarize(state.events), interrupted: state.recovery.errors.length > 0, recovery: state.recovery };
}

// A forward read of `stream` from the start; the leader is killed after `killLeaderAfter` events.
async function readThroughFailover(step, client, ctx) {
  const { lib } = ctx.adapter;
  const state = newState();
  await withRecovery(client, ctx, state, async (c) => {
    const last = state.events[state.events.length - 1];
    const fromRevision = last ? BigInt(last.revision) + 1n : lib.START;
    for await (const e of c.readStream(step.stream, { fromRevision, direction: lib.FORWARDS })) {
      state.events.push(brief(e));
      if (!state.killed && state.events.length === step.killLeaderAfter) {
        await killLeader(ctx.adapter, ctx.args);
        state.killed = true;
      }
    }
  });
  return outcome(state);
}

// A subscription to `stream` from the start; the leader is killed after `killLeaderAfter` events
// (during the catch-up: events are being delivered). Once caught up, the `live` steps run through
// the client, and the subscription ends after `count` events. A subscription from a revision
// starts after it, so a new one continues from the last event received.
async function subscribeThroughFailover(step, client, ctx, runLiveStep) {
  const { lib } = ctx.adapter;
  const state = newState();
  const live = [];
  let liveStarted = false;
  let liveDone = !(step.live ?? []).length;
  await withRecovery(client, ctx, state, (c) => new Promise((resolve, reject) => {
    const last = state.events[state.events.length - 1];
    const sub = c.subscribeToStream(step.stream, { fromRevision: last ? BigInt(last.revision) : lib.START });
    let settled = false;
    const timer = setTimeout(() => finish(new Error(`subscription: ${state.events.length} of ${step.count} events after 60 s`)), 60000);
    const finish = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        sub.unsubscribe().catch(() => {}); // a failed call has nothing left to end
        return reject(err);
      }
      sub.unsubscribe().then(resolve, reject);
    };
    const maybeDone = () => {
      if (liveDone && state.events.length >= step.count) finish();
    };
    sub.on("data", (e) => {
      if (settled) return;
      state.events.push(brief(e));
      if (!state.killed && state.events.length === step.killLeaderAfter) {
        state.killed = true; // before the kill: the error it causes must count as recoverable
        killLeader(ctx.adapter, ctx.args).catch((err) => finish(new Error(`kill: ${err.message}`)));
      }
      maybeDone();
    });
    sub.on("caughtUp", async () => {
      if (liveStarted) return;
      liveStarted = true;
      for (const s of step.live ?? []) live.push(await runLiveStep(s));
      liveDone = true;
      maybeDone();
    });
    sub.on("error", (err) => finish(err));
  }));
  return { ...outcome(state), live };
}

module.exports = { readThroughFailover, subscribeThroughFailover };
