// What a front-end team's generated client must refuse at compile time: a closed value of
// the API spelt wrong, or taken from another set. `cargo xtask typescript` generates
// api.d.ts from ../openapi.json with openapi-typescript and runs tsc on this file; every
// `@ts-expect-error` line must really be an error, or tsc fails.
import type { components } from "./api";

type Schemas = components["schemas"];

export const held: Schemas["Bond"]["status"] = "held";
// @ts-expect-error a misspelt bond status
export const misspelt: Schemas["Bond"]["status"] = "refnded";
// @ts-expect-error a complaint status is not a bond status
export const otherSet: Schemas["Bond"]["status"] = "decided";

export const accepted: Schemas["Complaint"]["status"] = "accepted";
// @ts-expect-error a misspelt complaint status
export const complaint: Schemas["Complaint"]["status"] = "Accepted";

export const confirmed: Schemas["HandleAlert"]["status"] = "confirmed";
// @ts-expect-error a misspelt alert status in a request
export const alert: Schemas["HandleAlert"]["status"] = "confirm";

export const upheld: Schemas["DecideComplaint"]["outcome"] = "upheld";
// @ts-expect-error an outcome the regulator cannot decide
export const outcome: Schemas["DecideComplaint"]["outcome"] = "partly";

export const indicator: Schemas["RiskAlert"]["indicator"] = "same_bond_account";
// @ts-expect-error an indicator the scan does not have
export const unknownIndicator: Schemas["RiskAlert"]["indicator"] = "same_bank";

export const project: Schemas["Project"]["status"] = "tendering";
// @ts-expect-error a project status from another life cycle
export const projectStatus: Schemas["Project"]["status"] = "opened";

export const fieldErrorCode: Schemas["FieldError"]["code"] = "too_many_decimal_places";
// @ts-expect-error a misspelt field error code
export const misspeltFieldErrorCode: Schemas["FieldError"]["code"] = "too_many_decimals";

export const problemType: Schemas["Problem"]["type"] = "urn:ggzy:problem:validation-failed";
// @ts-expect-error a misspelt problem type
export const misspeltProblemType: Schemas["Problem"]["type"] = "urn:ggzy:problem:validation-error";

export const failure: NonNullable<Schemas["ListingResult"]["failure"]> = "below_reserve";
// @ts-expect-error a listing fails for no_quote or below_reserve only
export const failureMisspelt: NonNullable<Schemas["ListingResult"]["failure"]> = "no_quotes";

export const subject: Schemas["PartyNotice"]["subject_type"] = "expert_draw";
// @ts-expect-error a notice is about an expert_draw, not a draw
export const subjectMisspelt: Schemas["PartyNotice"]["subject_type"] = "draw";
