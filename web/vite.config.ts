import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// `npm run dev` serves the UI on :5173 and forwards API calls to a running `fortress serve`
// (FORTRESS_URL, default the `make up` address), so the browser sees one origin, as in production.
const backend = process.env.FORTRESS_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    // The budget is on gzipped initial JS (`npm run size`); Vite's warning counts minified bytes.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: {
      "/api": backend,
      "/health": backend,
      "/docs": backend,
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
