/**
 * The folders are the architecture: mentions come from collectors/, are
 * processed and kept by pipeline/, and are shown by dashboard/. These rules
 * keep the arrows pointing one way (checked by `npm run check`).
 */
module.exports = {
  forbidden: [
    {
      name: "collectors-stand-alone",
      comment: "collectors/ produce RawMentions and know nothing of what happens to them",
      severity: "error",
      from: { path: "^collectors/" },
      to: { path: "^(pipeline|dashboard)/" },
    },
    {
      name: "pipeline-does-not-know-the-dashboard",
      comment: "only the composition root (pipeline/main.ts) wires the dashboard in",
      severity: "error",
      from: { path: "^pipeline/", pathNot: "^pipeline/main\\.ts$" },
      to: { path: "^dashboard/" },
    },
    {
      name: "web-app-speaks-protocol-only",
      comment: "the browser app imports nothing of the server side but the shared protocol types",
      severity: "error",
      from: { path: "^dashboard/web/" },
      to: { path: "^(collectors|pipeline|dashboard/server)/|^dashboard/(?!web/|protocol\\.ts$)" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".svelte", ".json"] },
  },
};
