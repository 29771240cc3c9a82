"use strict";
// Scenario helpers shared by the Node drivers for large histories: events generated from a short
// description (`generate`) and a read summarised as a count and a checksum (`summary`), so that
// tens of thousands of events are appended and compared without listing them. cpp_driver.cpp
// (DriverJson.cpp) computes both the same way.

const crypto = require("crypto");

// {count, from = 0, idBase, type, padBytes = 0}: event i (from … from + count - 1) has the id
// idBase + i (its last 12 hex digits counted up) and the data {"n": i, "pad": "xxx…"}.
function generatedEvents(g) {
  const head = g.idBase.slice(0, 24);
  const tail = parseInt(g.idBase.slice(24), 16);
  const pad = "x".repeat(g.padBytes ?? 0);
  const out = [];
  for (let i = g.from ?? 0; i < (g.from ?? 0) + g.count; i++)
    out.push({ id: head + (tail + i).toString(16).padStart(12, "0"), type: g.type, data: { n: i, pad } });
  return out;
}

// What identifies a delivered event for the checksum: the event read (the link for a resolved link).
const original = (e) => e.link ?? e;

// {count, checksum, first, last}: the checksum is SHA-256 over "stream@revision id\n" of every
// event in delivery order, so a gap, a duplicate or a reordering changes it.
function summarize(events) {
  const hash = crypto.createHash("sha256");
  const label = (e) => (e ? `${original(e).streamId}@${original(e).revision}` : null);
  for (const e of events) hash.update(`${label(e)} ${original(e).id}\n`);
  return { count: events.length, checksum: hash.digest("hex"), first: label(events[0]), last: label(events[events.length - 1]) };
}

module.exports = { generatedEvents, summarize };
