//! The project life cycle: registration, sections, announcements, sealed bids, opening,
//! expert draws, evaluation, award, contract and venues. Pure domain logic, no I/O.
