// An Angular 21 application as `ng new` makes it (standalone, zoneless), built by the application
// builder (esbuild) or served by `ng serve` (Vite), with nothing configured for the package.
import { Component } from "@angular/core";
import { bootstrapApplication } from "@angular/platform-browser";
import * as sdk from "authenta-wasm";
// @ts-ignore: the runtimes' shared flow is plain JavaScript.
import { runFlow } from "./flow.js";

@Component({ selector: "app-root", template: "<h1>authenta-wasm</h1>" })
class App {}

(window as any).runFlow = (args: unknown) => runFlow(sdk, args);
bootstrapApplication(App).catch((e) => console.error(e));
