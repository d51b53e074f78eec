/** Small TypeBox helpers for the pack schema (internal to the rules module). */
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** A schema accepting exactly these strings, typed as their union. */
export function Literals<const T extends readonly string[]>(values: T): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));
}

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}
