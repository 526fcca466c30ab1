/**
 * The daemons' layers, lowest first: support (import-free helpers) <- protocol <- transport
 * <- data and the pure machines (peer, manager) <- observe, and persist (the manager's
 * state file) <- daemon (the shells) <- edges (cli, control). A module may import only
 * from its own layer or below, and nothing may import in a cycle.
 */
const layer = (name) => `^daemons/src/${name}/`;
const any = (...names) => `^daemons/src/(${names.join("|")})/`;

const above = {
  support: [
    "protocol",
    "transport",
    "data",
    "peer",
    "manager",
    "observe",
    "daemon",
    "cli",
    "control",
  ],
  protocol: ["transport", "data", "peer", "manager", "observe", "daemon", "cli", "control"],
  transport: ["data", "peer", "manager", "observe", "daemon", "cli", "control"],
  data: ["transport", "peer", "manager", "observe", "daemon", "cli", "control"],
  peer: ["transport", "manager", "observe", "daemon", "cli", "control"],
  manager: ["transport", "peer", "observe", "daemon", "cli", "control"],
  observe: ["daemon", "cli", "control"],
  daemon: ["cli", "control"],
  control: ["cli"],
};

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "A cycle makes two modules one; split what they share into a lower module.",
      from: {},
      to: { circular: true },
    },
    ...Object.entries(above).map(([name, higher]) => ({
      name: `${name}-imports-only-below`,
      severity: "error",
      comment: `daemons/src/${name} may not import from a layer above it (${higher.join(", ")}).`,
      from: { path: layer(name) },
      to: { path: any(...higher) },
    })),
    {
      name: "daemons-stand-alone",
      severity: "error",
      comment: "The daemons run without the server or the dashboard.",
      from: { path: "^daemons/src/" },
      to: { path: "^(server|web)/" },
    },
    {
      name: "server-not-web",
      severity: "error",
      comment: "The server serves the built page; it imports none of its sources.",
      from: { path: "^server/src/" },
      to: { path: "^web/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
