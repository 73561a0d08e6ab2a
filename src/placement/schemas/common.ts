// Patterns every placement schema shares (upstream schemas/common.py).
export const UUID_PATTERN = '^[0-9a-fA-F-]{36}$';
export const RC_PATTERN = '^[A-Z0-9_]+$';
export const CUSTOM_RC_PATTERN = '^CUSTOM_[A-Z0-9_]+$';
export const CUSTOM_TRAIT_PATTERN = CUSTOM_RC_PATTERN;
export const CONSUMER_TYPE_PATTERN = RC_PATTERN;
export const CONSUMER_TYPE_GET_PATTERN = `${RC_PATTERN}|^all|^unknown$`;
export const GROUP_PAT = '[1-9][0-9]*';
export const GROUP_PAT_1_33 = '[a-zA-Z0-9_-]{1,64}';
/** Largest value of an inventory integer column (db constants MAX_INT). */
export const MAX_INT = 2147483647;
/** Largest single-precision float (allocation_ratio). */
export const SQL_SP_FLOAT_MAX = 3.40282e38;
