/**
 * The table part of the schema: what Weir records about every table an asset materializes
 * (`materializations.table_metadata`, see sdk/table-metadata.ts), on a materialization and on
 * its asset. Joined with the other parts in schema.graphql.ts.
 */
export const tableTypeDefs = /* GraphQL */ `
  extend type Asset {
    "The table of the latest materialization (of this partition when given); null when that materialization is not a table."
    table(partition: String): TableMetadata
    "Row counts of the latest table materializations (of this partition when given), oldest first; value = rows."
    rowCountSeries(limit: Int = 100, partition: String): [MetadataPoint!]!
    "Column lineage of the latest table materialization (of this partition when given): upstream column → this asset's column."
    columnLineage(partition: String): [ColumnLineageEdge!]!
  }

  extend type Materialization {
    "Null when this materialization is not a table."
    table: TableMetadata
  }

  "A table as stored (Parquet): its size, schema, how the schema changed, and where its columns come from."
  type TableMetadata {
    "A Float because tables pass 2^31 rows (a GraphQL Int is 32-bit); always a whole number."
    rowCount: Float!
    "Bytes of the stored file(s); a Float, always a whole number."
    bytes: Float!
    "SHA-256 of the columns' names, types and nullability in order: equal hashes, same schema."
    schemaHash: String!
    columns: [TableColumn!]!
    "How the schema differs from the previous materialization's; null for the first one or when it is the same."
    schemaChange: SchemaChange
    "Per output column, the upstream columns it is computed from (declared or derived); empty when unknown."
    columnLineage: [ColumnLineage!]!
  }

  type TableColumn {
    name: String!
    "The DuckDB type, e.g. BIGINT, VARCHAR, DECIMAL(18,2)."
    type: String!
    nullable: Boolean!
  }

  type SchemaChange {
    added: [TableColumn!]!
    removed: [TableColumn!]!
    typeChanged: [ColumnTypeChange!]!
  }

  type ColumnTypeChange {
    name: String!
    from: String!
    to: String!
  }

  type ColumnLineage {
    "A column of this table."
    column: String!
    upstream: [ColumnRef!]!
  }

  "A column of an asset's table."
  type ColumnRef {
    asset: String!
    column: String!
  }

  "One edge of the column-level lineage: from an upstream asset's column to a column of this asset."
  type ColumnLineageEdge {
    from: ColumnRef!
    to: ColumnRef!
  }
`;
