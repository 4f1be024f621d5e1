// A server endpoint: POST the flow's arguments, get its summary. It runs in the server bundle
// (`vite build`'s .svelte-kit/output/server, served by `vite preview`), where the bare import
// resolves the package's Node entry.
import { json } from '@sveltejs/kit';
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from 'authenta-wasm';
import { runFlow } from '$lib/flow.js';

export async function POST({ request }) {
	try {
		const value = await runFlow({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, await request.json());
		return json({ ok: true, value });
	} catch (e) {
		return json({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` }, { status: 500 });
	}
}
