//! Pure trading policy: the five categories and their subtypes, the catalogue of what must
//! enter the platform, rule-set versions with their effective dates, time limits, the agent
//! limit and bond caps. Every decision made here cites the rule ids of `RULES.md`.
