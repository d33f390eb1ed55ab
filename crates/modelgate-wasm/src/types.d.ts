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

// ---------------------------------------------------------------- evaluation

export type EvalTask = "binary" | "multiclass" | "regression";
export type EvalPeriod = "day" | "week" | "month";

/** Options of evaluate / evaluateWithTraining; every field is optional. Unknown fields are an error. */
export interface EvalOptions {
  label: string | null;
  prediction: string | null;
  score: string | null;
  probabilities: string[];
  positive_class: string | null;
  task: EvalTask | "classification" | null;
  id: string | null;
  timestamp: string | null;
  slices: string[];
  sensitive: string | null;
  features: string[];
  period: EvalPeriod | null;
  metric: string | null;
  threshold: number;
  seed: number;
  resamples: number;
  confidence: number;
  calibration_bins: number;
  slice_bins: number;
  slice_max_categories: number;
  min_slice_rows: number;
  slice_gap: number;
  retrain_drop: number;
  min_period_rows: number;
  probability_tolerance: number;
  linear_max_features: number;
  logistic_c: number;
  max_gain: number;
  max_listed_rows: number;
}

/** Metric values by name, in report order; null when undefined (e.g. ROC AUC with one class). */
export type Metrics = Record<string, number | null>;

/** A row-level finding of evaluate, comparePredictions or skewReport (Severity is shared with quality findings). */
export interface EvalFinding {
  /** missing_label, missing_prediction, non_finite_prediction, unknown_label_class, unknown_predicted_class,
   *  probability_out_of_range, probabilities_do_not_sum_to_one, unparsable_timestamp, duplicate_id, ... */
  code: string;
  severity: Severity;
  source: string;
  column: string | null;
  /** Rows concerned (0 for a finding about a whole file or column). */
  count: number;
  /** The first 1-based data row numbers. */
  rows: number[];
  message: string;
}

export interface ProbabilityColumn { class: string; column: string }

export interface ResolvedColumns {
  label: string;
  prediction: string | null;
  score: string | null;
  probabilities: ProbabilityColumn[];
  id: string | null;
  timestamp: string | null;
  sensitive: string | null;
  slices: string[];
  features: string[];
}

export interface ClassMetrics { class: string; precision: number; recall: number; f1: number; support: number }

export interface ConfusionMatrix { labels: string[]; matrix: number[][] }

export interface CalibrationBin {
  bin: number; lower: number; upper: number; count: number; mean_predicted: number; fraction_positive: number;
}

export interface Calibration { kind: "positive_class" | "top_label"; bins: number; curve: CalibrationBin[]; ece: number }

export interface Residuals {
  mean: number;
  std: number;
  /** [q, value] for q = 0, 0.05, 0.25, 0.5, 0.75, 0.95, 1. */
  quantiles: [number, number][];
  histogram_edges: number[];
  histogram_counts: number[];
}

export type BaselineVerdict = "model_better" | "no_significant_difference" | "baseline_better" | "not_compared";

export interface BaselineComparison {
  metric: string;
  model: number;
  baseline: number | null;
  /** Positive when the model is better (model - baseline, or baseline - model for a loss). */
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
  confidence: number;
  resamples_used: number;
  /** Deepchecks' gain, in [-max_gain, max_gain]. */
  gain: number | null;
  verdict: BaselineVerdict;
}

export type BaselineDetails =
  | { kind: "constant"; value: string }
  | { kind: "shares"; classes: string[]; shares: number[] }
  | { kind: "stump"; feature: string | null; threshold: number; left: number[]; right: number[] }
  | {
      kind: "linear"; features: string[]; dropped: string[]; standardized: boolean;
      coefficients: number[][]; intercepts: number[]; classes: string[]; iterations: number;
    }
  | { kind: "last_value"; timestamp: string; first_row: number };

export interface BaselineResult {
  name: "majority" | "stratified" | "uniform" | "stump" | "linear" | "mean" | "median" | "last_value";
  description: string;
  /** True when the metrics are expected values of a random predictor. */
  expected_value: boolean;
  skipped: string | null;
  metrics: Metrics;
  /** The model's gain over the baseline, per metric. */
  gain: Metrics;
  comparison: BaselineComparison | null;
  details: BaselineDetails | null;
}

export interface Baselines {
  fitted_on: "training" | "evaluated_rows";
  fit_rows: number;
  metric: string;
  seed: number;
  resamples: number;
  confidence: number;
  max_gain: number;
  results: BaselineResult[];
}

export interface SliceGroup {
  value: string;
  rows: number;
  share: number;
  metrics: Metrics;
  shortfall: number | null;
  weak: boolean;
}

export interface SliceColumn { column: string; kind: "categories" | "quantile_bins"; edges: number[] | null; groups: SliceGroup[] }

export interface WeakSlice { column: string; value: string; rows: number; value_metric: number; overall: number; shortfall: number }

export interface FairnessGroup {
  value: string;
  rows: number;
  selection_rate: number | null;
  true_positive_rate: number | null;
  false_positive_rate: number | null;
  metrics: Metrics;
}

export interface Fairness {
  column: string;
  kind: "categories" | "quantile_bins";
  edges: number[] | null;
  positive_class: string | null;
  demographic_parity_difference: number | null;
  demographic_parity_ratio: number | null;
  equal_opportunity_difference: number | null;
  equalized_odds_difference: number | null;
  groups: FairnessGroup[];
  note: string | null;
}

export interface PeriodMetrics { period: string; start: string; rows: number; metrics: Metrics; used: boolean }

export interface TimeReport {
  column: string;
  period: EvalPeriod;
  automatic: boolean;
  rows: number;
  periods: PeriodMetrics[];
  slope: number | null;
  drop: number;
  first_period: string | null;
  degraded_period: string | null;
  degraded_after_days: number | null;
  degraded_after_periods: number | null;
  suggestion: string;
}

export interface TrainingInfo { source: string; rows: number; rows_used: number }

export interface EvalReport {
  source: string;
  rows: number;
  rows_evaluated: number;
  training: TrainingInfo | null;
  task: EvalTask;
  columns: ResolvedColumns;
  classes: string[];
  positive_class: string | null;
  prediction_derived: boolean;
  primary_metric: string;
  higher_is_better: boolean;
  metrics: Metrics;
  per_class: ClassMetrics[];
  confusion: ConfusionMatrix | null;
  calibration: Calibration | null;
  residuals: Residuals | null;
  baselines: Baselines;
  slices: SliceColumn[];
  weak_slices: WeakSlice[];
  fairness: Fairness | null;
  time: TimeReport | null;
  findings: EvalFinding[];
  options: EvalOptions;
  verdict: { passed: boolean; reasons: string[] };
}

export interface CompareOptions { id: string | null; columns: string[]; tolerance: number; max_listed_rows: number }

export interface Difference { id: string | null; row_a: number; row_b: number; a: string | null; b: string | null }

export interface ColumnComparison {
  column: string;
  compared: number;
  mismatched: number;
  mismatch_share: number;
  max_abs_difference: number | null;
  non_finite_a: number;
  non_finite_b: number;
  examples: Difference[];
}

export interface CompareReport {
  a: string;
  b: string;
  rows_a: number;
  rows_b: number;
  id: string | null;
  joined: number;
  only_in_a: number;
  only_in_b: number;
  columns: ColumnComparison[];
  findings: EvalFinding[];
  reproducible: boolean;
}

export interface SkewOptions {
  id: string | null; features: string[]; tolerance: number; max_mismatch_share: number; max_listed_rows: number;
}

export interface FeatureSkew {
  feature: string;
  training_count: number;
  serving_count: number;
  match_count: number;
  mismatch_count: number;
  training_only: number;
  serving_only: number;
  diff_count: number;
  mismatch_share: number;
  max_abs_difference: number | null;
  skewed: boolean;
  examples: Difference[];
}

export interface SkewReport {
  training: string;
  serving: string;
  id: string;
  training_rows: number;
  serving_rows: number;
  joined: number;
  training_only_rows: number;
  serving_only_rows: number;
  features: FeatureSkew[];
  skewed_features: number;
  max_mismatch_share: number;
  findings: EvalFinding[];
}

/** Present on errors thrown by evaluate, evaluateWithTraining, comparePredictions and skewReport. */
export interface EvalErrorDetails {
  code: "missing_column" | "no_label_column" | "no_prediction_column" | "bad_option" | "no_rows"
    | "no_shared_columns" | "no_id_column";
}

// ---------------------------------------------------------------- data contract

export type FieldType = "number" | "integer" | "boolean" | "string" | "datetime" | "any";

export interface ContractOptions {
  /** Widen each numeric range by this share of its width on both sides (default 0.1). */
  range_tolerance: number;
  /** Categorical columns with more distinct values get no allowed set (default 100). */
  max_categories: number;
  /** A nullable field's max_null_share is the reference's null share plus this (default 0.1). */
  null_share_tolerance: number;
  /** Whether records may carry fields the contract does not list (default "reject"). */
  additional_fields: "reject" | "allow";
  /** The version label written into the contract (default "1"). */
  version: string;
}

/** The rules of one field, as in a contract file (docs/contract.md). */
export interface FieldContract {
  name: string;
  type: FieldType;
  required: boolean;
  nullable: boolean;
  minimum?: number;
  maximum?: number;
  allow_nan?: boolean;
  allow_inf?: boolean;
  categories?: string[];
  min_length?: number;
  max_length?: number;
  max_null_share?: number;
  unique?: boolean;
  description?: string;
}

/** A contract file: JSON.parse(contract.toJson()). */
export interface ContractFile {
  format: "modelgate-contract";
  format_version: 1;
  version: string;
  description?: string;
  source?: { file: string; rows: number };
  additional_fields: "reject" | "allow";
  fields: FieldContract[];
}

/** Present on errors thrown by Contract.fromJson. */
export interface ContractErrorDetails {
  code: "contract";
  /** JSON path of the offending value, e.g. "fields[2].minimum"; "" for the whole document. */
  path: string;
  field: string | null;
  /** For invalid JSON. */
  line: number | null;
  column: number | null;
}

export type Rule =
  | "missing_required" | "unknown_field" | "duplicate_field" | "not_an_object" | "wrong_type"
  | "null_not_allowed" | "nan_not_allowed" | "inf_not_allowed" | "below_minimum" | "above_maximum"
  | "category_not_allowed" | "too_short" | "too_long";

export interface Violation {
  /** 0-based index of the record in the batch. */
  instance: number;
  /** The field name ("" for not_an_object). */
  field: string;
  rule: Rule;
  /** The type name, the bound, the allowed categories, or null for unknown fields. */
  expected: unknown;
  /** The value found (null when missing); long values are cut short. */
  actual: unknown;
  message: string;
}

/** The result of validateRecords(contract, json), where json is a string or its UTF-8 bytes (a Uint8Array). */
export interface Validation { records: number; violations: Violation[] }

/** Present on errors thrown by validateRecords for text that is not JSON. */
export interface JsonErrorDetails { code: "json"; line: number; column: number }

// ---------------------------------------------------------------- data quality

export interface QualityOptions {
  /** Example row numbers and values kept per finding (default 5). */
  max_examples: number;
  /** A row is mostly null above this share of null columns (default 0.5). */
  mostly_null_share: number;
  /** Expected current count at which a missing reference category counts as vanished (default 5). */
  vanished_min_expected: number;
  /** Distinct row hashes remembered for duplicate detection (default 4,000,000). */
  max_tracked_rows: number;
}

export type Severity = "error" | "warning" | "info";

export type FindingKind =
  | "missing_column" | "new_column" | "type_change" | "null_not_allowed" | "null_share_jump"
  | "nan_present" | "inf_present" | "out_of_range" | "unseen_category" | "vanished_category"
  | "length_out_of_range" | "duplicate_values" | "constant_column" | "duplicated_rows"
  | "mixed_types" | "identifier_like" | "mostly_null_rows";

export interface Finding {
  severity: Severity;
  kind: FindingKind;
  /** null for findings about whole rows. */
  column: string | null;
  count: number;
  share: number;
  /** 1-based data row numbers (the header is not counted). */
  examples: number[];
  values: { value: string; count: number }[];
  message: string;
}

export interface QualityReport {
  reference: DatasetInfo | null;
  current: DatasetInfo;
  contract: { version: string; hash: string; fields: number };
  options: QualityOptions;
  errors: number;
  warnings: number;
  infos: number;
  /** No finding at error severity. */
  passed: boolean;
  findings: Finding[];
}

// ---------------------------------------------------------------- rubrics

export type RubricAggregate = "minimum" | "share";
export type AnswerStatus = "not_done" | "manual" | "automated" | "not_applicable";
export type EvidenceKind =
  | "drift" | "schema" | "nan_inf" | "data_quality" | "baseline" | "slices" | "fairness" | "reproducibility" | "skew";
export type EvidenceRole = "asserts" | "informs";

export interface RubricSummary {
  id: string; title: string; summary: string; aggregate: RubricAggregate; sections: number; items: number;
}

export interface RubricSource {
  id: string; authors: string; title: string; published: string | null; year: number | null; url: string | null;
}

export interface RubricBand {
  label: string; min: number; min_inclusive: boolean; max: number | null; max_inclusive: boolean;
  title: string; meaning: string; source: string | null;
}

export interface RubricItem {
  id: string;
  /** The source's own name for the item, such as "Data 1". */
  ref: string | null;
  title: string;
  description: string;
  sources: string[];
  evidence: { kind: EvidenceKind; role: EvidenceRole }[];
}

export interface RubricSection { id: string; title: string; summary: string | null; items: RubricItem[] }

export interface Rubric {
  schema: "modelgate-rubric/1";
  id: string;
  title: string;
  summary: string;
  sources: RubricSource[];
  notice: string | null;
  scoring: {
    aggregate: RubricAggregate;
    points: { not_done: number; manual: number; automated: number };
    status_labels: Record<AnswerStatus, string>;
    rules: string[];
    bands: RubricBand[];
  };
  sections: RubricSection[];
}

export interface Answer {
  id: string;
  /** null: unanswered (scored as not done). */
  status: AnswerStatus | null;
  reason: string | null;
  evidence: string[];
  notes: string | null;
}

export interface Answers { rubric: string; source: string; answers: Answer[] }

/** Where in an answers file a problem is. */
export type AnswersPlace =
  | { kind: "file" }
  | { kind: "line"; line: number; column: string | null }
  | { kind: "position"; line: number; column: number }
  | { kind: "path"; path: string };

/** Present on errors thrown by parseAnswers, scoreRubric and writeAnswers. */
export interface AnswersErrorDetails {
  code: "answers";
  source: string;
  problems: {
    code: "empty" | "syntax" | "missing_column" | "unknown_column" | "duplicate_column" | "too_many_fields"
      | "unknown_field" | "missing_field" | "wrong_type" | "unsupported_format" | "wrong_rubric" | "missing_id"
      | "unknown_item" | "duplicate_item" | "bad_status" | "missing_reason";
    place: AnswersPlace;
    message: string;
  }[];
  /** Problems beyond the first 20, not listed. */
  more: number;
}

/**
 * What this run computed; every key is optional. `drift` takes the DriftReport object as it is.
 * rubricEvidence(sections) builds one from the report sections the page holds.
 */
export interface Evidence {
  drift?: DriftReport;
  data_quality?: { source: string; errors: number; warnings: number; findings: string[] };
  baseline?: {
    metric: string; higher_is_better: boolean; model: number; baseline: number; baseline_name?: string;
    /** From an evaluation: Deepchecks' gain, the bootstrap interval of the difference and the verdict that decides the check. */
    gain?: number | null; ci_low?: number | null; ci_high?: number | null; confidence?: number | null;
    verdict?: "model_better" | "no_significant_difference" | "baseline_better" | null;
  };
  slices?: { metric: string; evaluated: number; failing: string[] };
  fairness?: { metric: string; evaluated: number; failing: string[] };
  reproducibility?: {
    compared: string; max_abs_difference: number; tolerance?: number | null;
    /** From a CompareReport: its verdict decides the check. */
    reproducible?: boolean | null; mismatched?: number; unmatched?: number;
  };
  skew?: { features: number; skewed: string[] };
}

export interface EvidenceCheck { kind: EvidenceKind; title: string; passed: boolean; summary: string }

export interface StatusCounts {
  items: number; not_done: number; manual: number; automated: number; not_applicable: number; unanswered: number;
}

export interface RubricReport {
  rubric: { id: string; title: string; aggregate: RubricAggregate; points: { not_done: number; manual: number; automated: number } };
  answers_source: string;
  /** The lowest section score ("minimum"), or the share of attainable points from 0 to 1 ("share"). */
  final_score: number;
  max_final_score: number;
  band: { label: string; title: string; meaning: string; in_gap: boolean; note: string | null };
  weakest_sections: string[];
  sections: { id: string; title: string; score: number; points: number; max_points: number; counts: StatusCounts }[];
  counts: StatusCounts;
  items: {
    id: string; section: string; ref: string | null; title: string;
    status: AnswerStatus | null; points: number; max_points: number;
    reason: string | null; evidence_links: string[]; notes: string | null;
    evidence: { kind: EvidenceKind; title: string; role: EvidenceRole; passed: boolean; summary: string }[];
    flag: "warning" | "error" | null;
  }[];
  next_steps: {
    item: string; section: string; title: string; from: AnswerStatus | null; to: AnswerStatus; gain: number;
    section_score_after: number; final_score_after: number; band_after: string; blocked_by: string | null;
  }[];
  evidence: EvidenceCheck[];
  flags: { item: string; section: string; status: AnswerStatus; kind: EvidenceKind; severity: "warning" | "error"; message: string }[];
}

// ---------------------------------------------------------------- report

/**
 * The sections of one report, for exportReport and rubricEvidence: each key optional,
 * each the object the function named returned (passed as it is; raw values are blanked
 * by the core on export).
 */
export interface ReportSections {
  /** driftReport */
  drift?: DriftReport;
  /** qualityReport or checkContract */
  quality?: QualityReport;
  /** evaluate or evaluateWithTraining */
  evaluation?: EvalReport;
  /** comparePredictions */
  comparison?: CompareReport;
  /** skewReport */
  skew?: SkewReport;
  /** scoreRubric */
  rubric?: RubricReport;
}

/** A saved report file (exportReport(sections, "json")), format_version 2. */
export interface SavedReport extends ReportSections {
  kind: "modelgate-report";
  format_version: number;
  modelgate: string;
}

/** Present on errors thrown by exportReport and rubricEvidence. */
export interface ReportErrorDetails {
  code: "report";
  kind: "json" | "not_a_report" | "newer_format" | "section";
}

// ---------------------------------------------------------------- edge worker

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

/** What PayloadGate.check found in a body. */
export interface PayloadReport {
  format: PayloadFormat;
  records: number;
  invalid_records: number;
  violations: Violation[];
  /** Violations counted by field and rule, the most frequent first. */
  summary: { field: string; rule: Rule; count: number }[];
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

export type FileRole =
  | "reference" | "current" | "split" | "predictions" | "training" | "answers" | "profile" | "contract"
  | "report" | "unknown";

/** guessRoles: the proposed role of one file, why, and its CSV header. */
export interface RoleGuess { role: FileRole; reason: string; columns: string[] }
