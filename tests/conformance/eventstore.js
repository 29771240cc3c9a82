"use strict";
// Conformance driver for @eventstore/db-client 6.x: the older, all-grpc-js client generation.
const lib = require("@eventstore/db-client");
const { main } = require("./common");

main({
  lib,
  connect: (port, ca) =>
    lib.EventStoreDBClient.connectionString(
      ca ? `esdb://127.0.0.1:${port}?tls=true&tlsCAFile=${ca}` : `esdb://127.0.0.1:${port}?tls=false`,
    ),
  connectString: (cs) => lib.EventStoreDBClient.connectionString(cs), // clusters: esdb[+discover]://…
  gossipModules: {
    grpc: require("@eventstore/db-client/generated/gossip_grpc_pb"),
    shared: require("@eventstore/db-client/generated/shared_pb"),
  },
  appendOptions: (state) => ({ expectedRevision: state }),
  // 6.x emits caughtUp without what the server sent with it (compare.js: "<not exposed>").
  caughtUpInfo: () => "<not exposed>",
  wrongExpected: (err) => ({ expected: err.expectedVersion, actual: err.actualVersion }),
  // 6.x readAll always sends no_filter (filters exist only on subscribeToAll), so a filtered
  // read through it would silently read everything.
  unsupportedReadAllFilter: "@eventstore/db-client 6.x readAll has no filter option",
});
