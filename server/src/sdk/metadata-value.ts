/** A value shown beside a materialization in history: a row count, a byte size, a label. */
export type MetadataValue = number | string | boolean;
