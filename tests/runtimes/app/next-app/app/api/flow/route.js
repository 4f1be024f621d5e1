// A route handler on the Node runtime: POST the flow's arguments, get its summary.
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from "authenta-wasm";
import { flowResponse } from "../../flow.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request) {
  return flowResponse({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, await request.json());
}
