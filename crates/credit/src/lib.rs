//! Credit records of market participants: commitments, good and bad records, scores,
//! restrictions that bar trading, and repair. Pure domain logic.
