export type ColumnType =
  | "numeric" | "integer" | "boolean" | "categorical" | "identifier" | "text" | "datetime" | "empty";

export interface ColumnInfo { name: string; type: ColumnType }

export type DriftMethod =
  | "ks" | "psi" | "psi_evidently" | "chi2" | "chi2_gof" | "z" | "jensen_shannon" | "hellinger"
  | "wasserstein" | "wasserstein_raw" | "l_infinity" | "tvd" | "cramers_v";

/** Every field is optional on input; missing ones take the defaults (docs/drift-methods.md). */
export interface DriftOptions {
  psi_bins: number;
  /** Threshold per method: a p-value level for ks, chi2, chi2_gof and z; a bound on the statistic otherwise. */
  thresholds: Partial<Record<DriftMethod, number>>;
  /** Threshold of a column's primary method, by column name. */
  column_thresholds: Record<string, number>;
  /** Primary method by column type ("numeric" also covers "integer", "categorical" also "boolean"). */
  method_for_type: Partial<Record<"numeric" | "integer" | "categorical" | "boolean", DriftMethod>>;
  /** Primary method by column name. */
  method_for_column: Record<string, DriftMethod>;
  low_cardinality_max: number;
  small_reference_max: number;
  drift_share: number;
  bonferroni: boolean;
  target: string | null;
  prediction: string | null;
  correlation_change: number;
  max_correlation_columns: number;
}

export interface ProfileOptions {
  /** Finite values kept exactly per column (default 1,000,000). */
  exact_values: number;
  /** Finite values kept exactly over all columns (default 8,000,000). */
  exact_budget: number;
  /** Distinct rows kept for correlations (default 10,000). */
  sample_rows: number;
}

export interface TestResult {
  method: DriftMethod;
  statistic: number;
  p_value: number | null;
  threshold: number;
  drifted: boolean;
  /** Present when the numbers come from quantile sketches: the exact statistic lies in this interval. */
  statistic_bounds?: [number, number];
}

export interface ColumnSummary {
  column_type: ColumnType;
  rows: number; nulls: number; nan: number; pos_inf: number; neg_inf: number;
  numbers: number; booleans: number; datetimes: number; text: number;
  distinct: number | null;
  min: number | null; max: number | null; mean: number | null; std: number | null;
}

export type Histogram =
  | { kind: "bins"; edges: number[]; reference: number[]; current: number[] }
  | { kind: "categories"; labels: string[]; reference: number[]; current: number[] };

export interface ColumnDrift {
  column: string;
  role: "feature" | "target" | "prediction";
  column_type: ColumnType;
  current_type: ColumnType | null;
  status: "tested" | "skipped" | "missing_in_current" | "new_in_current";
  method: DriftMethod | null;
  statistic: number | null;
  p_value: number | null;
  threshold: number | null;
  drifted: boolean;
  /** False when the numeric methods ran on quantile sketches (see tests[].statistic_bounds). */
  exact: boolean;
  /** Every number computed, by name (docs/drift-methods.md lists them). */
  metrics: Record<string, number>;
  tests: TestResult[];
  note: string | null;
  reference: ColumnSummary | null;
  current: ColumnSummary | null;
  histogram: Histogram | null;
}

export interface DatasetInfo { source: string; rows: number; columns: number }

export interface Finding {
  severity: "info" | "warning" | "error";
  code: string;
  column: string | null;
  message: string;
}

export interface CorrelationChange {
  a: string;
  b: string;
  method: "pearson" | "spearman" | "cramers_v" | "correlation_ratio";
  reference: number | null;
  current: number | null;
  change: number | null;
  flagged: boolean;
}

export interface Correlations {
  exact: boolean;
  reference_rows: number;
  current_rows: number;
  features: CorrelationChange[];
  target: CorrelationChange[];
}

export interface DriftReport {
  /** Present in multi-dataset reports. */
  name?: string;
  reference: DatasetInfo;
  current: DatasetInfo;
  options: DriftOptions;
  tested_columns: number;
  drifted_columns: number;
  share_drifted: number;
  dataset_drift: boolean;
  target_drift: boolean | null;
  prediction_drift: boolean | null;
  columns: ColumnDrift[];
  findings: Finding[];
  correlations: Correlations;
}

export interface MultiDriftReport {
  reference: DatasetInfo;
  dataset_drift: boolean;
  comparisons: DriftReport[];
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
