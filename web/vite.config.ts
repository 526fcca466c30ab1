/**
 * The dashboard's build. `npm start` serves web/dist from the Fastify server; in
 * `npm run web:dev` Vite serves the sources and proxies the API to a running server.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env.STORMRING_API ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    // The dashboard imports the protocol's hashing and event types from daemons/.
    fs: { allow: [".."] },
    proxy: { "/api": { target: apiTarget, ws: true }, "/docs": apiTarget },
  },
});
