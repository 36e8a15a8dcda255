// What the worker's handlers share about messages: reading a request's
// arrays and seed (a bad one is an error reply, never a wasm trap), and the
// words of a caught error for the page.

/** The text an `error` reply carries for a caught `e`. */
export function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}

/** `x` as a Float32Array (a plain array or other typed array is copied); `what` names it in the error. */
export function asF32(x, what) {
  if (x instanceof Float32Array) return x;
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return Float32Array.from(x);
  throw new Error(`${what} must be a Float32Array`);
}

/** A seed for the core's page generators: the request's, or `pg`'s training seed. */
export function seedOf(pg, seed) {
  if (seed === undefined || seed === null) return Number(JSON.parse(pg.train_config_json()).seed) % 2 ** 32;
  const v = Number(seed);
  if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 32)) throw new Error(`seed ${seed} is not a whole number between 0 and 4294967295`);
  return v;
}
