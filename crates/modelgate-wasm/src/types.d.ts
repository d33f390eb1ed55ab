export type ColumnType =
  | "numeric" | "integer" | "boolean" | "categorical" | "identifier" | "text" | "datetime" | "empty";

export interface ColumnInfo { name: string; type: ColumnType }

export interface DriftOptions {
  psi_bins: number;
  psi_threshold: number;
  ks_alpha: number;
  chi2_alpha: number;
  low_cardinality_max: number;
  drift_share: number;
}

export type DriftMethod = "ks" | "psi" | "chi2";

export interface TestResult {
  method: DriftMethod;
  statistic: number;
  p_value: number | null;
  threshold: number;
  drifted: boolean;
}

export interface ColumnSummary {
  column_type: ColumnType;
  rows: number; nulls: number; nan: number; pos_inf: number; neg_inf: number;
  numbers: number; booleans: number; datetimes: number; text: number;
  distinct: number | null;
  min: number | null; max: number | null; mean: number | null;
}

export type Histogram =
  | { kind: "bins"; edges: number[]; reference: number[]; current: number[] }
  | { kind: "categories"; labels: string[]; reference: number[]; current: number[] };

export interface ColumnDrift {
  column: string;
  column_type: ColumnType;
  current_type: ColumnType | null;
  status: "tested" | "skipped" | "missing_in_current" | "new_in_current";
  method: DriftMethod | null;
  statistic: number | null;
  p_value: number | null;
  threshold: number | null;
  drifted: boolean;
  /** Every number computed, by name: ks_statistic, ks_p_value, psi, chi2_statistic, chi2_p_value, chi2_dof. */
  metrics: Record<string, number>;
  tests: TestResult[];
  note: string | null;
  reference: ColumnSummary | null;
  current: ColumnSummary | null;
  histogram: Histogram | null;
}

export interface DatasetInfo { source: string; rows: number; columns: number }

export interface DriftReport {
  reference: DatasetInfo;
  current: DatasetInfo;
  options: DriftOptions;
  tested_columns: number;
  drifted_columns: number;
  share_drifted: number;
  dataset_drift: boolean;
  columns: ColumnDrift[];
}

/** Present on errors thrown by CsvIngest.push and CsvIngest.finish. */
export interface IngestErrorDetails {
  code: "empty" | "header_only" | "binary" | "invalid_utf8" | "ragged_row" | "duplicate_column"
    | "field_too_large" | "too_many_columns";
  source: string;
  row: number | null;
  line: number | null;
  column: string | null;
}

/** Limits and naming for inference payloads (parsePayload, validatePayload). */
export interface PayloadOptions {
  /** Largest body in bytes (default 1 MiB). */
  max_body_bytes: number;
  /** Deepest nesting of arrays and objects, the top level being 1 (default 32, at most 127). */
  max_depth: number;
  /** Most records one body may hold (default 10,000). */
  max_records: number;
  /** Names for rows sent as arrays of values, in order. */
  feature_names: string[];
}

export type PayloadFormat =
  | "json_object" | "json_array" | "instances" | "inputs" | "open_inference"
  | "dataframe_split" | "dataframe_records";

export interface ParsedPayload {
  format: PayloadFormat;
  records: Record<string, unknown>[];
}

/** Present on errors thrown by parsePayload and validatePayload. */
export interface PayloadErrorDetails {
  code: "empty_body" | "body_too_large" | "too_deep" | "malformed_json" | "unknown_shape"
    | "invalid_payload" | "unnamed_values" | "too_many_records";
  /** Whether a host should answer 413 (too large) rather than 400. */
  too_large: boolean;
}

/** One broken contract rule in one record (as the core's validate::Violation). */
export interface PayloadViolation {
  /** 0-based index of the record in the body. */
  instance: number;
  field: string;
  rule: string;
  expected: unknown;
  actual: unknown;
  message: string;
}

/** What PayloadGate.check found in a body. */
export interface PayloadReport {
  format: PayloadFormat;
  records: number;
  invalid_records: number;
  violations: PayloadViolation[];
  /** Violations counted by field and rule, the most frequent first. */
  summary: { field: string; rule: string; count: number }[];
}

export interface LiveReferenceOptions { bins: number; max_categories: number }

export interface LiveDriftOptions {
  psi_threshold: number;
  chi2_alpha: number;
  drift_share: number;
  min_count: number;
}

export interface LiveFeatureDrift {
  name: string;
  kind: "numeric" | "categorical";
  method: "psi" | "chi2" | null;
  statistic: number | null;
  p_value: number | null;
  threshold: number | null;
  drifted: boolean;
  psi: number | null;
  chi2_statistic: number | null;
  chi2_p_value: number | null;
  count: number;
  missing_share: number;
  reference_missing_share: number;
  non_finite: number;
  invalid: number;
  labels: string[];
  reference_counts: number[];
  live_counts: number[];
  note: string | null;
}

export interface LiveDriftReport {
  reference: string;
  reference_source: string;
  reference_rows: number;
  records: number;
  options: LiveDriftOptions;
  tested_features: number;
  drifted_features: number;
  share_drifted: number;
  dataset_drift: boolean;
  features: LiveFeatureDrift[];
}

/** Present on errors thrown by the PayloadGate constructor for a bad contract. */
export interface ContractErrorDetails {
  code: "invalid_contract";
  path: string;
  field: string | null;
  line: number | null;
  column: number | null;
}
