// `npx sv create --template minimal --types jsdoc --no-add-ons` (sv 0.17), as it writes it: the
// adapter is configured here (sv 0.17 writes no svelte.config.js), and nothing is configured for
// authenta-wasm. adapter-auto finds no platform here and adapts nothing; `vite preview` serves the
// build (the client assets and the server bundle) all the same.
import adapter from '@sveltejs/adapter-auto';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
		sveltekit({
			compilerOptions: {
				// Force runes mode for the project, except for libraries. Can be removed in svelte 6.
				runes: ({ filename }) =>
					filename.split(/[/\\]/).includes('node_modules') ? undefined : true
			},
			adapter: adapter()
		})
	]
});
