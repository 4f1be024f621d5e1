// A route handler on the Node runtime: POST the flow's arguments, get its summary.
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from "authenta-wasm";
import { runFlow } from "../../flow.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request) {
  try {
    return Response.json({ ok: true, value: await runFlow({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, await request.json()) });
  } catch (e) {
    return Response.json({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` }, { status: 500 });
  }
}
