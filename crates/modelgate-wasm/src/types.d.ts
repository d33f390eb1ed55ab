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
