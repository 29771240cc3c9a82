"use strict";
// Cluster helpers of the Node drivers (scenarios-cluster.json, scenarios-failover.json): per-scenario
// connection strings, Gossip.Read through the client package's own stub, the node a client talks to,
// and killing the leader of a `--cluster` sandbox.

const net = require("net");

// A scenario's `connection` names nodes by index: {discover, hosts: [0], nodePreference}.
function clusterConnectionString(connection, args) {
  const ports = args.ports || [args.port];
  const hosts = (connection.hosts || [0]).map((i) => `127.0.0.1:${ports[i]}`).join(",");
  const pref = connection.nodePreference ? `&nodePreference=${connection.nodePreference}` : "";
  return `esdb${connection.discover ? "+discover" : ""}://${hosts}?tls=false${pref}`;
}

const VNODE_STATES = ["Initializing", "DiscoverLeader", "Unknown", "PreReplica", "CatchingUp", "Clone", "Follower",
  "PreLeader", "Leader", "Manager", "ShuttingDown", "Shutdown", "ReadOnlyLeaderless", "PreReadOnlyReplica",
  "ReadOnlyReplica", "ResigningLeader"];

// Gossip.Read through the client package's own generated stub, as its discovery does.
function gossip(adapter, port) {
  const grpc = require("@grpc/grpc-js");
  const { GossipClient } = adapter.gossipModules.grpc;
  const { Empty } = adapter.gossipModules.shared;
  const client = new GossipClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.read(new Empty(), new grpc.Metadata(), { deadline: Date.now() + 5000 }, (error, info) => {
      client.close();
      if (error) return reject(error);
      resolve(info.getMembersList().map((m) => ({
        state: VNODE_STATES[m.getState()] ?? String(m.getState()),
        alive: m.getIsAlive(),
        port: m.getHttpEndPoint() ? m.getHttpEndPoint().getPort() : null,
      })));
    });
  });
}

// Gossip of the first node that answers: after a kill, node 0 may be gone.
async function gossipAny(adapter, args) {
  let last;
  for (const port of args.ports || [args.port]) {
    try {
      return await gossip(adapter, port);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

// The role of the node the client's grpc-js channel is connected to (its target's port, looked up in gossip).
async function connectedRole(client, adapter, args) {
  const target = (await client.getChannel()).getTarget();
  const port = Number(target.split(":").pop());
  const member = (await gossip(adapter, args.port)).find((m) => m.port === port);
  return member ? member.state : `not a member (${target})`;
}

// Resolves once nothing accepts connections on `port` any more: the killed node's server stopped
// listening, and its calls under way are being cut. Each probe is a real connection attempt.
function untilRefused(port, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const probe = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("connect", () => {
        socket.destroy();
        if (Date.now() > deadline) return reject(new Error(`port ${port} still accepts connections after the kill`));
        setTimeout(probe, 20);
      });
      socket.on("error", () => resolve());
    };
    probe();
  });
}

// `chronoscope-sandbox --cluster` kills its leader on SIGUSR2 (its server stops, its connections
// drop); compare.js gives every driver the sandbox's pid. Returns once the old leader is gone.
async function killLeader(adapter, args) {
  if (!args.sandboxPid) throw new Error("killing the leader needs --sandbox-pid (a sandbox started by compare.js)");
  const leader = (await gossipAny(adapter, args)).find((m) => m.state === "Leader" && m.alive);
  if (!leader) throw new Error("no alive leader to kill");
  process.kill(args.sandboxPid, "SIGUSR2");
  await untilRefused(leader.port);
}

module.exports = { clusterConnectionString, gossip, gossipAny, connectedRole, killLeader };
