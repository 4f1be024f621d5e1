// expect: TS2322
// uploadAndPoll resolves with { media, result }, not a verdict string.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
const verdict: string = await client.uploadAndPoll(file, { modelType: "DF-1" }); // MISTAKE
console.log(verdict);
