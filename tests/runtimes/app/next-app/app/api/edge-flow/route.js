// A route handler on the Edge runtime (deprecated by Next 16, still served by next start and by
// Vercel's Edge Functions): the bare import resolves the `edge-light` condition. POST the flow's
// arguments, get its summary.
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from "authenta-wasm";
import { runFlow } from "../../flow.js";

export const runtime = "edge";
export const dynamic = "force-dynamic";

export async function POST(request) {
  try {
    return Response.json({ ok: true, value: await runFlow({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, await request.json()) });
  } catch (e) {
    return Response.json({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` }, { status: 500 });
  }
}
