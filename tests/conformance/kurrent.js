"use strict";
// Conformance driver for @kurrent/kurrentdb-client 1.x: reads go through its native Rust bridge,
// writes through grpc-js (protocol sheet §14.2).
const lib = require("@kurrent/kurrentdb-client");
const { main } = require("./common");

main({
  lib,
  // --ca: a secure sandbox, verified against the test CA; no default user (steps name theirs).
  connect: (port, ca) =>
    lib.KurrentDBClient.connectionString(
      ca ? `kurrentdb://127.0.0.1:${port}?tls=true&tlsCAFile=${ca}` : `kurrentdb://127.0.0.1:${port}?tls=false`,
    ),
  connectString: (cs) => lib.KurrentDBClient.connectionString(cs), // clusters: esdb[+discover]://…
  gossipModules: {
    grpc: require("@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/gossip_grpc_pb"),
    shared: require("@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb"),
  },
  appendOptions: (state) => ({ streamState: state }),
  // caughtUp carries the stream revision or the $all position the server sent.
  caughtUpInfo: (info) => {
    if (info && info.revision !== undefined) return { revision: String(info.revision) };
    if (info && info.position) return { position: { commit: String(info.position.commit), prepare: String(info.position.prepare) } };
    return {};
  },
  wrongExpected: (err) => ({ expected: err.expectedState, actual: err.actualState }),
  retryUnavailableReads: true, // see common.js
});
