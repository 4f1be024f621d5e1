// A server endpoint: POST the flow's arguments, get its summary. It runs in the server bundle
// (`vite build`'s .svelte-kit/output/server, served by `vite preview`), where the bare import
// resolves the package's Node entry.
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from 'authenta-wasm';
import { flowResponse } from '$lib/flow.js';

export async function POST({ request }) {
	return flowResponse({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, await request.json());
}
