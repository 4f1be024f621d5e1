// A route handler on the Edge runtime (deprecated by Next 16, still served by next start and by
// Vercel's Edge Functions): the bare import resolves the `edge-light` condition. POST the flow's
// arguments, get its summary.
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from "authenta-wasm";
import { flowResponse } from "../../flow.js";

export const runtime = "edge";
export const dynamic = "force-dynamic";

export async function POST(request) {
  return flowResponse({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, await request.json());
}
