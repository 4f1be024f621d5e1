// expect: TS18046
// A DetectionResult may be of a type this version does not know: narrow before reading fields.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
const { result } = await client.uploadAndPoll(file, { modelType: "DF-1" });
console.log(result.identityPredictions.length); // MISTAKE
