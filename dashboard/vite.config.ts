import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

/** Where the dashboard server listens in development (dashboard.port default). */
const DEV_API_ORIGIN = "http://127.0.0.1:8787";

const fromHere = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: fromHere("./web"),
  base: "/",
  // svelte.config.js in the root turns runes mode on for every component.
  plugins: [svelte()],
  build: {
    // The dashboard server serves this folder.
    outDir: fromHere("./dist"),
    emptyOutDir: true,
  },
  server: {
    host: "127.0.0.1",
    // `vite dev` serves the app; the API and the live socket stay on the real server,
    // so the session cookie and the CSRF check behave as in production.
    proxy: {
      "/api": { target: DEV_API_ORIGIN },
      "/live": { target: DEV_API_ORIGIN, ws: true },
    },
  },
});
