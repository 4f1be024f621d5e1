// expect: TS2345
// The matrix's mistake (tests/types/matrix.mjs), compiled in every cell: it fails there only with
// this error, and only if the package's types resolved (a missing declaration is TS2307/TS7016,
// an `any` accepts the number). A mid is a string.
import { AuthentaClient, NotFoundError } from "authenta-wasm";

export async function mistake(client: AuthentaClient): Promise<boolean> {
  try {
    await client.getMedia(123); // MISTAKE
    return true;
  } catch (err) {
    return err instanceof NotFoundError;
  }
}
