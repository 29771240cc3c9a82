"use strict";
// Persistent subscription steps (scenarios-persistent.json) for both Node drivers: the official
// clients create, consume (ack, nack park/retry), inspect, list, replay, update and delete groups.
// The sandbox advertises the service in ServerFeatures, so every call goes over gRPC (compare.js
// checks the sandbox's --stats-file); the clients' HTTP fallback would fail against it.

const str = (n) => (n === undefined || n === null ? null : String(n));

function settingsOf(step, lib) {
  return lib.persistentSubscriptionToStreamSettingsFromDefaults({
    startFrom: lib.START,
    ...(step.settings ?? {}),
  });
}

// The fields both clients and ours report the same way; timing-dependent ones (status, checkpoint
// positions, connection counts) are left out.
function normInfo(i) {
  const s = i.settings;
  return {
    eventSource: i.eventSource,
    groupName: i.groupName,
    settings: {
      resolveLinkTos: s.resolveLinkTos,
      extraStatistics: s.extraStatistics,
      messageTimeout: s.messageTimeout,
      maxRetryCount: s.maxRetryCount,
      checkPointAfter: s.checkPointAfter,
      checkPointLowerBound: s.checkPointLowerBound,
      checkPointUpperBound: s.checkPointUpperBound,
      maxSubscriberCount: str(s.maxSubscriberCount),
      liveBufferSize: s.liveBufferSize,
      readBatchSize: s.readBatchSize,
      historyBufferSize: s.historyBufferSize,
      consumerStrategyName: s.consumerStrategyName,
      startFrom: str(s.startFrom),
    },
    parkedMessageCount: str(i.stats.parkedMessageCount),
  };
}

// Consumes until `count` events arrived, acting on each by its revision (`actions`: revision →
// "ack" | "park" | "retry" | "skip"; a retried delivery (retryCount > 0) is acked).
async function consume(step, client, lib) {
  const sub = client.subscribeToPersistentSubscriptionToStream(step.stream, step.group, { bufferSize: 10 });
  const received = [];
  const actionOf = { park: lib.PARK, retry: lib.RETRY, skip: lib.SKIP };
  try {
    for await (const e of sub) {
      const revision = String(e.event.revision);
      received.push({ revision, retryCount: e.retryCount, viaLink: Boolean(e.link) });
      const action = e.retryCount > 0 ? "ack" : (step.actions ?? {})[revision] ?? "ack";
      if (action === "ack") await sub.ack(e);
      else await sub.nack(actionOf[action], step.reason ?? "conformance", e);
      if (received.length >= step.count) break;
    }
    // Leave only once the server has taken every ack and nack: cutting the call earlier would send
    // what is still in flight back for retry, into the next step.
    for (let i = 0; i < 500; i++) {
      const info = await client.getPersistentSubscriptionToStreamInfo(step.stream, step.group);
      if (info.stats.outstandingMessagesCount === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await sub.unsubscribe();
  }
  return { received };
}

async function runPersistentStep(step, client, lib) {
  switch (step.op) {
    case "psCreate":
      await client.createPersistentSubscriptionToStream(step.stream, step.group, settingsOf(step, lib));
      return { ok: true };
    case "psUpdate":
      await client.updatePersistentSubscriptionToStream(step.stream, step.group, settingsOf(step, lib));
      return { ok: true };
    case "psDelete":
      await client.deletePersistentSubscriptionToStream(step.stream, step.group);
      return { ok: true };
    case "psInfo":
      return { info: normInfo(await client.getPersistentSubscriptionToStreamInfo(step.stream, step.group)) };
    case "psList": {
      const list = step.stream
        ? await client.listPersistentSubscriptionsToStream(step.stream)
        : await client.listAllPersistentSubscriptions();
      return { groups: list.map((i) => `${i.eventSource}::${i.groupName}`).sort() };
    }
    case "psReplay":
      await client.replayParkedMessagesToStream(step.stream, step.group, step.stopAt ? { stopAt: step.stopAt } : {});
      return { ok: true };
    case "psConsume":
      return await consume(step, client, lib);
    default:
      return undefined;
  }
}

module.exports = { runPersistentStep };
