"use client";
// A client component page: prerendered by `next build` (on the server, where the package
// resolves its Node entry), then hydrated in the browser (the browser entry, whose .wasm
// Turbopack emits under /_next/static/media/).
import { useEffect } from "react";
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from "authenta-wasm";
import { runFlow } from "./flow.js";

export default function Page() {
  useEffect(() => {
    window.runFlow = (args) => runFlow({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, args);
  }, []);
  return <p>authenta-wasm in a client component</p>;
}
