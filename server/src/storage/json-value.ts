// Deliberately shallow: TypeORM's deep-partial insert types recurse into column types, and a
// recursive JSON type makes the compiler give up ("excessively deep").
/** A value that round-trips through a jsonb column. */
export type JsonValue = string | number | boolean | null | object;
export type JsonObject = { [key: string]: JsonValue };
